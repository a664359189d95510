import { QuotaGauges } from "./QuotaGauges";
import { DailyActivity } from "./DailyActivity";
import { MonthCost } from "./MonthCost";
import { JobsAndModels } from "./JobsAndModels";
import { useCan } from "../../app/permissions";

/** The tenant at a glance: quotas, this month's activity and cost, jobs and deployments. */
export default function OverviewPage() {
  const owner = useCan("own_tenant");
  return (
    <>
      <h1>Overview</h1>
      <QuotaGauges />
      <div className="grid">
        <DailyActivity />
        {owner && <MonthCost />}
      </div>
      <JobsAndModels />
    </>
  );
}
