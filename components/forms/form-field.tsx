"use client";
// One labelled field of an <ApiForm>: registered with react-hook-form, its error in plain words
// right below it (aria-invalid + aria-describedby), optional help text.
import { type ReactNode, useContext, useEffect, useId } from "react";
import { useFormContext } from "react-hook-form";
import { FieldNames } from "../api-form";

type Common = { name: string; label: string; help?: ReactNode; className?: string };
type Props = Common &
  (
    | {
        type?: "text" | "password" | "email" | "url";
        placeholder?: string;
        defaultValue?: string;
        required?: boolean;
        autoComplete?: string;
        nullable?: boolean;
        inputMode?: "numeric";
      }
    | { type: "select"; options: { value: string; label: string }[]; defaultValue?: string; nullable?: boolean }
    | { type: "checkbox"; defaultChecked?: boolean }
  );

export function FormField(props: Props) {
  const { register, formState } = useFormContext();
  const names = useContext(FieldNames);
  const id = useId();
  useEffect(() => {
    names.add(props.name);
    return () => {
      names.delete(props.name);
    };
  }, [names, props.name]);
  const error = formState.errors[props.name]?.message as string | undefined;
  const describedBy = [error ? `${id}-error` : null, props.help ? `${id}-help` : null].filter(Boolean).join(" ") || undefined;
  const aria = { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy } as const;
  const nullable = "nullable" in props && props.nullable;
  const field = register(props.name, nullable ? { setValueAs: (v: unknown) => (v === "" ? null : v) } : undefined);
  const below = (
    <>
      {props.help && (
        <span id={`${id}-help`} className="mt-1 block text-slate-500 dark:text-slate-400">
          {props.help}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} role="alert" className="mt-1 block font-medium text-red-700 dark:text-red-300">
          {error}
        </span>
      )}
    </>
  );
  if (props.type === "checkbox") {
    return (
      <div className={`text-sm ${props.className ?? ""}`}>
        <label className="flex items-start gap-3">
          <input type="checkbox" id={id} defaultChecked={props.defaultChecked} className="mt-1 size-4" {...aria} {...field} />
          <span className="font-medium">{props.label}</span>
        </label>
        <div className="pl-7">{below}</div>
      </div>
    );
  }
  const invalid = error ? "border-red-500 dark:border-red-400" : "";
  return (
    <div className={`text-sm ${props.className ?? ""}`}>
      <label htmlFor={id} className="mb-1 block font-medium">
        {props.label}
      </label>
      {props.type === "select" ? (
        <select id={id} defaultValue={props.defaultValue} className={`input ${invalid}`} {...aria} {...field}>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={props.type ?? "text"}
          placeholder={props.placeholder}
          defaultValue={props.defaultValue}
          aria-required={props.required || undefined}
          autoComplete={props.autoComplete ?? "off"}
          inputMode={props.inputMode}
          className={`input ${invalid}`}
          {...aria}
          {...field}
        />
      )}
      {below}
    </div>
  );
}
