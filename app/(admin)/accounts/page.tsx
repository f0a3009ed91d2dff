import { ApiForm } from "@/components/api-form";
import { EmptyState, PageHeader } from "@/components/page-header";
import { listAccounts } from "@/lib/accounts/service";
import { pageOrg } from "@/lib/auth/pages";
import { config } from "@/lib/config";

export const metadata = { title: "WhatsApp accounts" };

function Field({ name, label, type = "text", required = true, placeholder, defaultValue }: {
  name: string; label: string; type?: string; required?: boolean; placeholder?: string; defaultValue?: string;
}) {
  return (
    <label className="text-sm">
      <span className="mb-1 block font-medium">{label}</span>
      <input name={name} type={type} required={required} placeholder={placeholder} defaultValue={defaultValue} className="input" autoComplete="off" />
    </label>
  );
}

export default async function AccountsPage() {
  const { orgId } = await pageOrg("admin");
  const accounts = await listAccounts(orgId);
  const webhookUrl = `${config().server.base_url}/api/webhooks/whatsapp`;
  return (
    <>
      <PageHeader
        title="WhatsApp Accounts"
        description={`Connect WhatsApp Business numbers. Point the Meta app's webhook at ${webhookUrl}. Tokens and secrets are encrypted and never shown again.`}
      />
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
            <ApiForm action={`/api/accounts/${a.id}`} method="PATCH" successMessage="Saved." className="grid grid-cols-2 gap-3">
              <Field name="name" label="Name" defaultValue={a.name} />
              <Field name="verifyToken" label="Webhook verify token" defaultValue={a.verifyToken} />
              <Field name="accessToken" label="Access token" type="password" required={false} placeholder="•••••• (stored — type to replace)" />
              <Field name="appSecret" label="App secret" type="password" required={false} placeholder="•••••• (stored — type to replace)" />
              <div className="col-span-2">
                <button type="submit" className="btn-secondary">
                  Save changes
                </button>
              </div>
            </ApiForm>
          </section>
        ))}
      </div>
      <ApiForm action="/api/accounts" resetOnSuccess successMessage="Number connected." className="card mt-6 grid grid-cols-2 gap-3">
        <h2 className="col-span-2 text-lg font-semibold">Connect a number</h2>
        <Field name="name" label="Name" placeholder="Main line" />
        <Field name="displayPhone" label="Display phone" placeholder="15550001111" />
        <Field name="phoneNumberId" label="Phone number ID" placeholder="106540352242922" />
        <Field name="wabaId" label="WhatsApp Business Account ID" />
        <Field name="accessToken" label="Access token" type="password" />
        <Field name="appSecret" label="App secret" type="password" />
        <Field name="verifyToken" label="Webhook verify token" />
        <div className="col-span-2">
          <button type="submit" className="btn-primary">
            Connect number
          </button>
        </div>
      </ApiForm>
    </>
  );
}
