import { Form, useNavigation, useSubmit } from "@remix-run/react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, type FieldValues, type UseFormRegister } from "react-hook-form";
import type { z } from "zod";
import { useId, type ComponentProps, type FormEvent, type ReactNode } from "react";

type ServerResult = { errors?: Record<string, string>; values?: Record<string, string> } | undefined;

/**
 * A plain Remix <Form> that posts without JavaScript; when JavaScript loads,
 * react-hook-form validates with the same zod schema the action uses before posting.
 */
export function useValidatedForm<S extends z.ZodTypeAny>(schema: S, server: ServerResult, defaults: Record<string, unknown> = {}) {
  const submit = useSubmit();
  const form = useForm<FieldValues>({
    resolver: zodResolver(schema),
    mode: "onTouched",
    defaultValues: { ...defaults, ...(server?.values ?? {}) },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const element = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    void form.handleSubmit(() => submit(submitter ?? element, { method: "post", encType: element.enctype as "multipart/form-data" }))(event);
  };
  const errorFor = (name: string): string | undefined => {
    const clientError = form.formState.errors[name]?.message;
    return (typeof clientError === "string" ? clientError : undefined) ?? server?.errors?.[name];
  };
  return { register: form.register, onSubmit, errorFor, formError: server?.errors?.form };
}

export function FormErrorSummary({ errors }: { errors?: Record<string, string> }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>There is a problem</h2>
      <ul>
        {Object.entries(errors).map(([field, message]) => (
          <li key={field}>{field === "form" ? message : <a href={`#field-${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

type FieldProps = {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  register?: UseFormRegister<FieldValues>;
} & Omit<ComponentProps<"input">, "name">;

export function TextField({ name, label, error, hint, register, ...input }: FieldProps) {
  const hintId = useId();
  const errorId = `${name}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const registered = register ? register(name) : { name };
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`field-${name}`}>{label}</label>
      {hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {error ? <p id={errorId} className="field-error">{error}</p> : null}
      <input id={`field-${name}`} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} {...registered} />
    </div>
  );
}

export function SelectField({
  name, label, error, hint, register, options, ...select
}: {
  name: string; label: string; error?: string; hint?: ReactNode;
  register?: UseFormRegister<FieldValues>;
  options: Array<{ value: string; label: string }>;
} & Omit<ComponentProps<"select">, "name">) {
  const hintId = useId();
  const errorId = `${name}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const registered = register ? register(name) : { name };
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`field-${name}`}>{label}</label>
      {hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {error ? <p id={errorId} className="field-error">{error}</p> : null}
      <select id={`field-${name}`} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select} {...registered}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({
  name, label, register, defaultChecked, error,
}: { name: string; label: string; register?: UseFormRegister<FieldValues>; defaultChecked?: boolean; error?: string }) {
  const registered = register ? register(name) : { name };
  return (
    <div className="field field-checkbox">
      <input type="checkbox" id={`field-${name}`} defaultChecked={defaultChecked} {...registered} />
      <label htmlFor={`field-${name}`}>{label}</label>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}

export function SubmitButton({ children, name, value, className }: { children: ReactNode; name?: string; value?: string; className?: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <button type="submit" name={name} value={value} className={className} aria-disabled={busy || undefined}>
      {children}
    </button>
  );
}

export { Form };
