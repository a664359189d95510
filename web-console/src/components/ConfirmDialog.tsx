import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useId, useState, type ReactNode } from "react";
import { ProblemAlert } from "./ProblemAlert";

/**
 * Asks before a change that cannot be undone (revoke, delete). Stays open and shows the problem
 * when the call fails, so the user sees why. With `typeToConfirm`, the action stays disabled until
 * that text is typed, for changes that destroy data for good (erasing a tenant).
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  onConfirm,
  typeToConfirm,
}: {
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: (typed: string) => Promise<unknown>;
  typeToConfirm?: string;
}) {
  const inputId = useId();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function confirm(event: React.MouseEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(typed);
      setOpen(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setError(null);
          setTyped("");
        }
      }}
    >
      <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog-title">{title}</AlertDialog.Title>
          <AlertDialog.Description className="dialog-description">{description}</AlertDialog.Description>
          {typeToConfirm !== undefined && (
            <div className="field">
              <label htmlFor={inputId}>
                Type <strong>{typeToConfirm}</strong> to confirm
              </label>
              <input
                id={inputId}
                name="confirm"
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
              />
            </div>
          )}
          <ProblemAlert error={error} />
          <div className="dialog-actions">
            <AlertDialog.Cancel asChild>
              <button type="button" className="button">
                Cancel
              </button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button
                type="button"
                className="button button-danger"
                onClick={confirm}
                disabled={busy || (typeToConfirm !== undefined && typed !== typeToConfirm)}
              >
                {busy ? "Working…" : confirmLabel}
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
