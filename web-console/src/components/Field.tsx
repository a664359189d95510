import { cloneElement, useId, type ReactElement } from "react";
import { ApiError } from "../api/problem";

/**
 * A labelled form control with an optional hint and the API's error for its field, written beside
 * it as the API wrote it and tied to the control for screen readers.
 */
export function Field({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  /** The field's name in the API's `errors[].field`. */
  name: string;
  error?: unknown;
  hint?: string;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const message = error instanceof ApiError ? error.fieldError(name) : undefined;
  const described = [hint && `${id}-hint`, message && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className={message ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        name,
        "aria-invalid": message ? true : undefined,
        "aria-describedby": described,
      })}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {message && (
        <p className="field-error" id={`${id}-error`}>
          {message}
        </p>
      )}
    </div>
  );
}
