// Query keys of the cache: everything of an organization starts with ['org', orgId], so that
// switching organizations or a change of membership can drop all of it at once.

export const keys = {
  me: ['me'] as const,
  providers: ['providers'] as const,
  org: (orgId: string) => ['org', orgId] as const,
  apiKeys: (orgId: string) => ['org', orgId, 'api-keys'] as const,
  credentials: (orgId: string) => ['org', orgId, 'credentials'] as const,
  policy: (orgId: string, provider: string) => ['org', orgId, 'policy', provider] as const,
  quota: (orgId: string) => ['org', orgId, 'quota'] as const,
  usage: (orgId: string, ...rest: unknown[]) => ['org', orgId, 'usage', ...rest] as const,
  ledger: (orgId: string, ...rest: unknown[]) => ['org', orgId, 'ledger', ...rest] as const,
  invoice: (orgId: string, period: string) => ['org', orgId, 'invoice', period] as const,
  alerts: (orgId: string) => ['org', orgId, 'alerts'] as const,
  managedAccess: (orgId: string) => ['org', orgId, 'managed-access'] as const,
  webhooks: (orgId: string) => ['org', orgId, 'webhooks'] as const,
  deliveries: (orgId: string, webhookId: string) => ['org', orgId, 'webhooks', webhookId, 'deliveries'] as const,
  audit: (orgId: string | null, ...rest: unknown[]) => (orgId ? ['org', orgId, 'audit', ...rest] : ['admin', 'audit', ...rest]) as readonly unknown[],
  members: (orgId: string) => ['org', orgId, 'members'] as const,
  origins: (orgId: string) => ['org', orgId, 'origins'] as const,
  admin: ['admin'] as const,
  adminOrgs: (...rest: unknown[]) => ['admin', 'orgs', ...rest] as const,
  adminUsage: (...rest: unknown[]) => ['admin', 'usage', ...rest] as const,
  adminQuota: (orgId: string) => ['admin', 'quota', orgId] as const,
  adminManagedAccess: (orgId: string) => ['admin', 'managed-access', orgId] as const,
  platformCredentials: ['admin', 'platform-credentials'] as const,
};
