package dev.aiaas.gateway.auth;

/** What a principal may do. Console roles and API key scopes both map onto these. */
public enum Permission {
  /** Read the tenant's resources (datasets, jobs, models, usage). */
  READ,
  /** Get predictions. */
  PREDICT,
  /** Upload data, train, deploy. */
  TRAIN,
  /** Create and revoke API keys. */
  MANAGE_KEYS,
  /** Owner-only: audit log, invoices. */
  OWN_TENANT,
  /** The platform operator: plans, tenants, billing periods. */
  ADMINISTER_PLATFORM
}
