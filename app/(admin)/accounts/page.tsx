import { ApiForm } from "@/components/api-form";
import { CopyButton } from "@/components/copy-button";
import { FormField } from "@/components/forms/form-field";
import { EmptyState, PageHeader } from "@/components/page-header";
import { listAccounts } from "@/lib/accounts/service";
import { pageOrg } from "@/lib/auth/pages";
import { config } from "@/lib/config";

export const metadata = { title: "WhatsApp accounts" };

export default async function AccountsPage() {
  const { orgId } = await pageOrg("admin");
  const accounts = await listAccounts(orgId);
  const webhookUrl = `${config().server.base_url}/api/webhooks/whatsapp`;
  return (
    <>
      <PageHeader
        title="WhatsApp Accounts"
        description="Connect WhatsApp Business numbers. Access tokens and app secrets are encrypted and never shown again; the webhook verify token stays visible, to paste into Meta's webhook settings."
      />
      <div className="card mb-6 flex flex-wrap items-center gap-3 py-4 text-sm">
        <span className="font-medium">Webhook URL for the Meta app</span>
        <code className="min-w-0 flex-1 truncate rounded bg-slate-100 px-2 py-1 text-xs dark:bg-slate-800">{webhookUrl}</code>
        <CopyButton text={webhookUrl} label="Copy webhook URL" />
      </div>
      {accounts.length === 0 && <EmptyState title="No numbers connected">Add your first WhatsApp Business number below.</EmptyState>}
      <div className="space-y-4">
        {accounts.map((a) => (
          <section key={a.id} className="card" aria-label={`Account ${a.name}`}>
            <div className="mb-3 flex items-center justify-between">
              <div>
                <h2 className="text-lg font-semibold">{a.name}</h2>
                <p className="text-sm text-slate-500 dark:text-slate-400">
                  +{a.displayPhone} · phone number ID {a.phoneNumberId} · WABA {a.wabaId}
                </p>
              </div>
              <ApiForm action={`/api/accounts/${a.id}`} method="DELETE" confirm={`Disconnect ${a.name}?`}>
                <button type="submit" className="btn-danger">
                  Disconnect
                </button>
              </ApiForm>
            </div>
            <ApiForm action={`/api/accounts/${a.id}`} method="PATCH" schema="accountUpdate" successMessage="{name} saved." className="grid grid-cols-2 gap-3">
              <FormField name="name" label="Name" defaultValue={a.name} />
              <FormField name="verifyToken" label="Webhook verify token" defaultValue={a.verifyToken} />
              <FormField name="accessToken" label="Access token" type="password" placeholder="Stored — type to replace" />
              <FormField name="appSecret" label="App secret" type="password" placeholder="Stored — type to replace" />
              <div className="col-span-2">
                <FormField
                  name="missedCallText"
                  label="Missed-call text (sent on WhatsApp when nobody answered; empty sends nothing)"
                  placeholder="Sorry we missed your call. We will call you back shortly."
                  defaultValue={a.missedCallText ?? ""}
                />
              </div>
              <div className="col-span-2">
                <button type="submit" className="btn-secondary">
                  Save changes
                </button>
              </div>
            </ApiForm>
          </section>
        ))}
      </div>
      <ApiForm action="/api/accounts" schema="accountCreate" resetOnSuccess successMessage="Number connected." className="card mt-6 grid grid-cols-2 gap-3">
        <h2 className="col-span-2 text-lg font-semibold">Connect a number</h2>
        <FormField name="name" label="Name" placeholder="e.g. Support line" required />
        <FormField name="displayPhone" label="Display phone" placeholder="e.g. +44 20 7946 0000" required />
        <FormField name="phoneNumberId" label="Phone number ID" placeholder="Digits, from WhatsApp › API Setup" required />
        <FormField name="wabaId" label="WhatsApp Business Account ID" placeholder="Digits, from WhatsApp › API Setup" required />
        <FormField name="accessToken" label="Access token" type="password" required help="A permanent system-user token with whatsapp_business_messaging." />
        <FormField name="appSecret" label="App secret" type="password" required help="App settings › Basic › App secret." />
        <FormField
          name="verifyToken"
          label="Webhook verify token"
          required
          help="Any secret you choose; enter the same one in the Meta app's webhook settings."
        />
        <div className="col-span-2">
          <button type="submit" className="btn-primary">
            Connect number
          </button>
        </div>
      </ApiForm>
    </>
  );
}
