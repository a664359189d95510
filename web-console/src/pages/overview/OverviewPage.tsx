import { QuotaGauges } from "./QuotaGauges";
import { AlertBanner } from "./AlertBanner";
import { DailyActivity } from "./DailyActivity";
import { MonthCost } from "./MonthCost";
import { JobsAndModels } from "./JobsAndModels";
import { useCan } from "../../app/permissions";

/** The tenant at a glance: crossed alert thresholds, quotas, this month's activity and cost, jobs and deployments. */
export default function OverviewPage() {
  const owner = useCan("own_tenant");
  return (
    <>
      <h1>Overview</h1>
      <AlertBanner />
      <QuotaGauges />
      <div className="grid">
        <DailyActivity />
        {owner && <MonthCost />}
      </div>
      <JobsAndModels />
    </>
  );
}
