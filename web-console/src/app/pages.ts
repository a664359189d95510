import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { Permission } from "./permissions";

/** A page of the console: where it lives, its name in the navigation, and who sees it. */
export type PageDef = {
  path: string;
  title: string;
  permission: Permission;
  component: LazyExoticComponent<ComponentType>;
};

// Each page is its own chunk, so the first page loads only what it shows.
export const PAGES: PageDef[] = [
  {
    path: "/",
    title: "Overview",
    permission: "read",
    component: lazy(() => import("../pages/overview/OverviewPage")),
  },
  {
    path: "/keys",
    title: "API keys",
    permission: "manage_keys",
    component: lazy(() => import("../pages/keys/KeysPage")),
  },
  {
    path: "/datasets",
    title: "Datasets",
    permission: "read",
    component: lazy(() => import("../pages/datasets/DatasetsPage")),
  },
  {
    path: "/training",
    title: "Training",
    permission: "read",
    component: lazy(() => import("../pages/training/TrainingPage")),
  },
  {
    path: "/tuning",
    title: "Tuning",
    permission: "read",
    component: lazy(() => import("../pages/tuning/TuningPage")),
  },
  {
    path: "/models",
    title: "Models",
    permission: "read",
    component: lazy(() => import("../pages/models/ModelsPage")),
  },
  {
    path: "/batch",
    title: "Batch predictions",
    permission: "read",
    component: lazy(() => import("../pages/batch/BatchPage")),
  },
  {
    path: "/usage",
    title: "Usage",
    permission: "read",
    component: lazy(() => import("../pages/usage/UsagePage")),
  },
  {
    path: "/billing",
    title: "Billing",
    permission: "own_tenant",
    component: lazy(() => import("../pages/billing/BillingPage")),
  },
  {
    path: "/team",
    title: "Team",
    permission: "own_tenant",
    component: lazy(() => import("../pages/team/TeamPage")),
  },
  {
    path: "/alerts",
    title: "Alerts",
    permission: "own_tenant",
    component: lazy(() => import("../pages/alerts/AlertsPage")),
  },
  {
    path: "/audit",
    title: "Audit log",
    permission: "own_tenant",
    component: lazy(() => import("../pages/audit/AuditPage")),
  },
  {
    path: "/account",
    title: "Account",
    permission: "read",
    component: lazy(() => import("../pages/account/AccountPage")),
  },
  // The platform operator's pages: only `administer_platform` sees them, and as lazy chunks
  // they cost a tenant's first page nothing.
  {
    path: "/operator/tenants",
    title: "Tenants",
    permission: "administer_platform",
    component: lazy(() => import("../pages/operator/TenantsPage")),
  },
  {
    path: "/operator/plans",
    title: "Plans",
    permission: "administer_platform",
    component: lazy(() => import("../pages/operator/PlansPage")),
  },
  {
    path: "/operator/billing",
    title: "Billing",
    permission: "administer_platform",
    component: lazy(() => import("../pages/operator/OperatorBillingPage")),
  },
  {
    path: "/operator/platform",
    title: "Platform",
    permission: "administer_platform",
    component: lazy(() => import("../pages/operator/PlatformPage")),
  },
];

/** Where the platform operator's console starts. */
export const OPERATOR_HOME = "/operator/tenants";

/** Whether a page belongs to the operator's section. */
export function isOperatorPage(page: PageDef): boolean {
  return page.permission === "administer_platform";
}
