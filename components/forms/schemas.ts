// The route handlers' own input schemas, by name, for forms in the browser (server pages cannot pass
// a zod schema to a client component, so they name it).
import { passwordChangeInput, profileInput } from "@/lib/account/schema";
import { accountCreateInput, accountUpdateInput } from "@/lib/accounts/schema";
import { callingSettingsInput } from "@/lib/org/calling-schema";
import { personInput, personPasswordInput, personUpdateInput } from "@/lib/people/schema";
import { teamInput, teamMemberInput } from "@/lib/teams/schema";

export const FORM_SCHEMAS = {
  accountCreate: accountCreateInput,
  accountUpdate: accountUpdateInput,
  callingSettings: callingSettingsInput,
  passwordChange: passwordChangeInput,
  person: personInput,
  personPassword: personPasswordInput,
  personUpdate: personUpdateInput,
  profile: profileInput,
  team: teamInput,
  teamMember: teamMemberInput,
};

export type FormSchemaName = keyof typeof FORM_SCHEMAS;
