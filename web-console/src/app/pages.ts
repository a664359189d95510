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
];
