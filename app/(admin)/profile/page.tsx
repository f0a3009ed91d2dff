import { ApiForm } from "@/components/api-form";
import { FormField } from "@/components/forms/form-field";
import { PageHeader } from "@/components/page-header";
import { pageOrg } from "@/lib/auth/pages";
import { db } from "@/lib/db";

export const metadata = { title: "Your account" };

// Every member's own page (agents too): the name colleagues see, and the password, which an admin
// set when adding them.
export default async function ProfilePage() {
  const { userId } = await pageOrg();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${user.email}. Your name and password are the same in every organisation you belong to.`} />
      <div className="grid max-w-xl gap-6">
        {/* Keyed by the saved name: once saved, the field shows it as stored (trimmed), not as typed. */}
        <ApiForm key={user.name} action="/api/me" method="PATCH" schema="profile" successMessage="Name saved: {name}." className="card space-y-4">
          <FormField
            name="name"
            label="Name"
            defaultValue={user.name}
            required
            autoComplete="name"
            help="Shown to colleagues on the board, in teams and in the call log."
          />
          <button type="submit" className="btn-primary">
            Save name
          </button>
        </ApiForm>
        <ApiForm
          action="/api/me/password"
          schema="passwordChange"
          resetOnSuccess
          successMessage="Password changed. Your other sessions are signed out."
          className="card space-y-4"
        >
          <h2 className="text-base font-semibold">Password</h2>
          <FormField name="currentPassword" label="Current password" type="password" required autoComplete="current-password" />
          <FormField
            name="newPassword"
            label="New password"
            type="password"
            required
            autoComplete="new-password"
            help="At least 8 characters. The old password stops working, and other browsers signed in to your account are signed out."
          />
          <button type="submit" className="btn-primary">
            Change password
          </button>
        </ApiForm>
      </div>
    </>
  );
}
