import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { QueryView } from "../../components/States";
import { ALERTS_QUERY } from "./alerts";
import { AlertsForm } from "./AlertsForm";
import { Deliveries } from "./Deliveries";
import { SecretPanel } from "./SecretPanel";

/** Quota alerts (owners only): thresholds, the webhook and its signing secret, the delivery log. */
export default function AlertsPage() {
  const settings = useQuery({ queryKey: ALERTS_QUERY, queryFn: () => unwrap(api.GET("/v1/alerts")) });
  // The secret the API just answered, if any; shown until dismissed or the page is left.
  const [secret, setSecret] = useState<string | null>(null);

  const rotate = () => unwrap(api.POST("/v1/alerts/webhook-secret")).then((s) => setSecret(s.webhook_secret));

  return (
    <>
      <h1>Alerts</h1>
      {secret && <SecretPanel secret={secret} onDone={() => setSecret(null)} />}
      <QueryView query={settings}>
        {(s) => (
          <>
            <AlertsForm saved={s} onSecret={setSecret} />
            <section className="section card" aria-labelledby="secret-title">
              <h2 id="secret-title">Signing secret</h2>
              <p>
                Each webhook carries <code>X-Aiaas-Signature: t=…,v1=…</code>, an HMAC-SHA256 of{" "}
                <code>t.body</code> keyed with this secret. It is shown once: when the first save creates it,
                and when you replace it.
              </p>
              <ConfirmDialog
                trigger={
                  <button type="button" className="button">
                    Replace secret
                  </button>
                }
                title="Replace the signing secret?"
                description="Every delivery from now on, retries included, is signed with the new secret. Your receiver must use it at once."
                confirmLabel="Replace secret"
                onConfirm={rotate}
              />
            </section>
          </>
        )}
      </QueryView>
      <Deliveries />
    </>
  );
}
