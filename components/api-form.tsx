"use client";
// The one way admin forms work: react-hook-form, validated in the browser with the route handler's
// own zod schema (named by `schema`), sent as JSON; the API's 422 field errors land beside their
// fields in plain words, success shows a toast. Fields are <FormField>s (components/forms/form-field)
// or plain named inputs, which are still sent (radio groups send the checked value, multi-selects
// every selected value).
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { createContext, type FormEvent, type ReactNode, useMemo, useRef, useState } from "react";
import { type FieldValues, FormProvider, type Resolver, useForm } from "react-hook-form";
import { type ApiErrorBody, fieldErrorsOf, formErrorOf } from "./forms/field-errors";
import { FORM_SCHEMAS, type FormSchemaName } from "./forms/schemas";
import { toast } from "./toast";

/** Values of named controls that are not registered with react-hook-form. */
function domValues(form: HTMLFormElement | null, registered: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!form) return out;
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) continue;
    if (!el.name || registered.has(el.name) || el.disabled) continue;
    if (el instanceof HTMLInputElement && el.type === "radio") {
      if (el.checked) out[el.name] = el.value;
    } else if (el instanceof HTMLInputElement && el.type === "checkbox") out[el.name] = el.checked;
    else if (el instanceof HTMLInputElement && el.type === "number") out[el.name] = el.value === "" ? undefined : Number(el.value);
    else if (el instanceof HTMLSelectElement && el.multiple) out[el.name] = Array.from(el.selectedOptions, (o) => o.value);
    else if (el.dataset.nullable !== undefined && el.value === "") out[el.name] = null;
    else out[el.name] = el.value;
  }
  return out;
}

export function ApiForm({
  action,
  method = "POST",
  schema,
  children,
  className,
  confirm: confirmText,
  confirmIf,
  resetOnSuccess = false,
  closeOnSuccess = false,
  successMessage,
}: {
  action: string;
  method?: "POST" | "PATCH" | "PUT" | "DELETE";
  /** The route handler's input schema, checked before sending. */
  schema?: FormSchemaName;
  children: ReactNode;
  className?: string;
  confirm?: string;
  /** Ask first when the form would send this value (pass it only while the current value differs, e.g. calling on). */
  confirmIf?: { field: string; equals: unknown; message: string };
  resetOnSuccess?: boolean;
  /** Close the <details> the form sits in once it succeeded (a disclosure opened to do one thing). */
  closeOnSuccess?: boolean;
  /** The toast on success; `{field}` is replaced by what was sent (a renamed number's new name). */
  successMessage?: string;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const fieldNames = useRef(new Set<string>());
  // One line per message (several field errors of fields the form does not show).
  const [formError, setFormError] = useState<string[] | null>(null);
  const resolver = useMemo<Resolver<FieldValues> | undefined>(() => {
    if (!schema) return undefined;
    const zod = zodResolver(FORM_SCHEMAS[schema] as never, undefined, { raw: true }) as unknown as Resolver<FieldValues>;
    return (values, ctx, opts) => zod({ ...domValues(formRef.current, fieldNames.current), ...values }, ctx, opts);
  }, [schema]);
  const methods = useForm<FieldValues>({ resolver, shouldFocusError: true });
  const { handleSubmit, setError, reset, formState } = methods;

  async function send(values: FieldValues) {
    const body = { ...domValues(formRef.current, fieldNames.current), ...values };
    if (confirmIf && body[confirmIf.field] === confirmIf.equals && !window.confirm(confirmIf.message)) return;
    if (confirmText && !window.confirm(confirmText)) return;
    setFormError(null);
    try {
      const res = await fetch(action, {
        method,
        headers: { "content-type": "application/json" },
        body: method === "DELETE" ? undefined : JSON.stringify(body),
      });
      if (!res.ok) {
        const json = (await res.json().catch(() => null)) as ApiErrorBody | null;
        const fields = fieldErrorsOf(json);
        const shown = Object.entries(fields).filter(([name]) => fieldNames.current.has(name));
        for (const [name, message] of shown) setError(name, { type: "server", message }, { shouldFocus: true });
        const rest = Object.entries(fields)
          .filter(([name]) => !fieldNames.current.has(name))
          .map(([, m]) => m);
        setFormError(rest.length ? rest : [formErrorOf(json, res.status, shown.length > 0)]);
        return;
      }
      if (resetOnSuccess) {
        formRef.current?.reset();
        reset();
      }
      if (closeOnSuccess) formRef.current?.closest("details")?.removeAttribute("open");
      if (successMessage)
        toast(successMessage.replace(/\{(\w+)\}/g, (all, field: string) => (typeof body[field] === "string" ? String(body[field]).trim() : all)));
      router.refresh();
    } catch {
      setFormError(["Could not reach the server. Check your connection and try again."]);
    }
  }

  const clientErrors = Object.entries(formState.errors).filter(([name]) => !fieldNames.current.has(name));
  const shownError = formError ?? (clientErrors.length ? clientErrors.map(([, e]) => String(e?.message ?? "")) : null);
  // A new attempt starts clean: the last reply's error does not stay beside the next one's.
  const submit = (e: FormEvent<HTMLFormElement>) => {
    setFormError(null);
    return handleSubmit(send)(e);
  };
  return (
    <FormProvider {...methods}>
      <FieldNames.Provider value={fieldNames.current}>
        <form ref={formRef} onSubmit={submit} className={className} aria-busy={formState.isSubmitting} noValidate>
          <fieldset disabled={formState.isSubmitting} className="contents">
            {children}
          </fieldset>
          {shownError && (
            <p role="alert" className="basis-full text-sm text-red-600 dark:text-red-400">
              {shownError.map((m) => (
                <span key={m} className="block">
                  {m}
                </span>
              ))}
            </p>
          )}
        </form>
      </FieldNames.Provider>
    </FormProvider>
  );
}

/** FormFields announce their names, so errors for them show beside the field, not in the form's alert. */
export const FieldNames = createContext<Set<string>>(new Set());
