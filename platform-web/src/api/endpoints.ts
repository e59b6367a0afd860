import { http, orgPath, query } from './client';
import type {
  AdminOrganization,
  AllowedOrigins,
  ApiKey,
  CreateApiKeyRequest,
  CreateCredentialRequest,
  CreateWebhookRequest,
  CreatedApiKey,
  CreatedWebhook,
  CreatePlatformCredentialRequest,
  Credential,
  CredentialSource,
  InvoicePreview,
  KeyRotation,
  LedgerEntry,
  ManagedAccess,
  Organization,
  Page,
  PlatformCredential,
  PlatformCredentialCapChange,
  ProviderDescription,
  Quota,
  QuotaChange,
  Session,
  SessionPolicy,
  SignupRequest,
  SignupResult,
  Usage,
  UsageAlert,
  VerifiedCredential,
  VerifiedPlatformCredential,
  WebhookDelivery,
  WebhookEndpoint,
} from './schema';

// Typed calls for the endpoints of the public REST API, one group per capability. Members and
// invitations are in members.ts, the audit log in audit.ts.

const id = encodeURIComponent;

export const auth = {
  me: (signal?: AbortSignal) => http.get<Session>('/v1/me', signal ? { signal } : {}),
  /** The server gives a session a new CSRF token at every change of who is signed in. */
  async signup(request: SignupRequest): Promise<SignupResult> {
    try {
      return await http.post<SignupResult>('/v1/auth/signup', request);
    } finally {
      http.invalidateCsrfToken();
    }
  },
  async login(email: string, password: string): Promise<Session> {
    try {
      return await http.post<Session>('/v1/auth/login', { email, password });
    } finally {
      http.invalidateCsrfToken();
    }
  },
  async logout(): Promise<void> {
    try {
      await http.post<void>('/v1/auth/logout');
    } finally {
      http.invalidateCsrfToken();
    }
  },
};

export const organizations = {
  create: (name: string) => http.post<Organization>('/v1/orgs', { name }),
  get: (orgId: string) => http.get<Organization>(orgPath(orgId)),
};

export const apiKeys = {
  list: (orgId: string, cursor: string | null) =>
    http.get<Page<ApiKey>>(`${orgPath(orgId)}/api-keys${query({ cursor })}`),
  create: (orgId: string, request: CreateApiKeyRequest) => http.post<CreatedApiKey>(`${orgPath(orgId)}/api-keys`, request),
  rotate: (orgId: string, keyId: string, graceSeconds: number) =>
    http.post<CreatedApiKey>(`${orgPath(orgId)}/api-keys/${id(keyId)}/rotate`, { grace_seconds: graceSeconds }),
  revoke: (orgId: string, keyId: string) => http.delete(`${orgPath(orgId)}/api-keys/${id(keyId)}`),
};

export const providers = {
  list: () => http.get<Page<ProviderDescription>>('/v1/providers'),
};

export const credentials = {
  list: (orgId: string) => http.get<Page<Credential>>(`${orgPath(orgId)}/credentials`),
  create: (orgId: string, request: CreateCredentialRequest) => http.post<Credential>(`${orgPath(orgId)}/credentials`, request),
  rotateSecret: (orgId: string, credentialId: string, secret: Record<string, string>) =>
    http.put<Credential>(`${orgPath(orgId)}/credentials/${id(credentialId)}/secret`, { secret }),
  verify: (orgId: string, credentialId: string) =>
    http.post<VerifiedCredential>(`${orgPath(orgId)}/credentials/${id(credentialId)}/verify`),
  makeDefault: (orgId: string, credentialId: string) =>
    http.post<Credential>(`${orgPath(orgId)}/credentials/${id(credentialId)}/default`),
  remove: (orgId: string, credentialId: string) => http.delete(`${orgPath(orgId)}/credentials/${id(credentialId)}`),
};

export const policies = {
  get: (orgId: string, provider: string) => http.get<SessionPolicy>(`${orgPath(orgId)}/policies/${id(provider)}`),
  put: (orgId: string, provider: string, policy: SessionPolicy) =>
    http.put<SessionPolicy>(`${orgPath(orgId)}/policies/${id(provider)}`, policy),
};

export interface UsageQuery {
  from?: string;
  to?: string;
  group_by: 'day' | 'provider' | 'operation' | 'credential_source' | 'api_key' | 'end_user' | 'org';
}

export interface LedgerQuery {
  from?: string;
  to?: string;
  /** Only the entries of one credential source; all of them when absent. */
  credential_source?: CredentialSource;
}

export const usage = {
  quota: (orgId: string) => http.get<Quota>(`${orgPath(orgId)}/quota`),
  aggregate: (orgId: string, q: UsageQuery) => http.get<Usage>(`${orgPath(orgId)}/usage${query({ ...q })}`),
  alerts: (orgId: string) => http.get<Page<UsageAlert>>(`${orgPath(orgId)}/usage-alerts`),
  ledger: (orgId: string, q: LedgerQuery, cursor: string | null) =>
    http.get<Page<LedgerEntry>>(`${orgPath(orgId)}/ledger${query({ ...q, cursor })}`),
  ledgerCsv: (orgId: string, q: LedgerQuery) => http.getBlob(`${orgPath(orgId)}/ledger${query({ ...q })}`, 'text/csv'),
  invoicePreview: (orgId: string, period: string) =>
    http.get<InvoicePreview>(`${orgPath(orgId)}/invoice-preview${query({ period })}`),
  /** Which providers the organization may broker through the platform's managed credentials. */
  managedAccess: (orgId: string) => http.get<ManagedAccess>(`${orgPath(orgId)}/managed-access`),
};

export const webhooks = {
  list: (orgId: string) => http.get<Page<WebhookEndpoint>>(`${orgPath(orgId)}/webhooks`),
  create: (orgId: string, request: CreateWebhookRequest) => http.post<CreatedWebhook>(`${orgPath(orgId)}/webhooks`, request),
  remove: (orgId: string, webhookId: string) => http.delete(`${orgPath(orgId)}/webhooks/${id(webhookId)}`),
  deliveries: (orgId: string, webhookId: string, cursor: string | null) =>
    http.get<Page<WebhookDelivery>>(`${orgPath(orgId)}/webhooks/${id(webhookId)}/deliveries${query({ cursor })}`),
};

export const allowedOrigins = {
  get: (orgId: string) => http.get<AllowedOrigins>(`${orgPath(orgId)}/allowed-origins`),
  put: (orgId: string, origins: string[]) =>
    http.put<AllowedOrigins>(`${orgPath(orgId)}/allowed-origins`, { allowed_origins: origins }),
};

export interface AdminOrgQuery {
  q?: string;
  status?: '' | 'active' | 'suspended';
}

export const admin = {
  organizations: (q: AdminOrgQuery, cursor: string | null) =>
    http.get<Page<AdminOrganization>>(`/v1/admin/orgs${query({ ...q, cursor })}`),
  suspend: (orgId: string, reason: string) =>
    http.post<AdminOrganization>(`/v1/admin/orgs/${id(orgId)}/suspend`, reason ? { reason } : {}),
  resume: (orgId: string) => http.post<AdminOrganization>(`/v1/admin/orgs/${id(orgId)}/resume`),
  setQuota: (orgId: string, change: QuotaChange) => http.put<Quota>(`/v1/admin/orgs/${id(orgId)}/quota`, change),
  quota: (orgId: string) => http.get<Quota>(`${orgPath(orgId)}/quota`),
  usage: (q: UsageQuery) => http.get<Usage>(`/v1/admin/usage${query({ ...q })}`),
  rotateMasterKey: () => http.post<KeyRotation>('/v1/admin/keys/rotate'),
  managedAccess: (orgId: string) => http.get<ManagedAccess>(`/v1/admin/orgs/${id(orgId)}/managed-access`),
  setManagedAccess: (orgId: string, providers: string[]) =>
    http.put<ManagedAccess>(`/v1/admin/orgs/${id(orgId)}/managed-access`, { providers }),
};

/** The platform's own provider credentials, which organizations with managed access broker through. */
export const platformCredentials = {
  list: () => http.get<Page<PlatformCredential>>('/v1/admin/credentials'),
  create: (request: CreatePlatformCredentialRequest) => http.post<PlatformCredential>('/v1/admin/credentials', request),
  rotateSecret: (credentialId: string, secret: Record<string, string>) =>
    http.put<PlatformCredential>(`/v1/admin/credentials/${id(credentialId)}/secret`, { secret }),
  setCap: (credentialId: string, cap: PlatformCredentialCapChange) =>
    http.put<PlatformCredential>(`/v1/admin/credentials/${id(credentialId)}/cap`, cap),
  verify: (credentialId: string) => http.post<VerifiedPlatformCredential>(`/v1/admin/credentials/${id(credentialId)}/verify`),
  makeDefault: (credentialId: string) => http.post<PlatformCredential>(`/v1/admin/credentials/${id(credentialId)}/default`),
  remove: (credentialId: string) => http.delete(`/v1/admin/credentials/${id(credentialId)}`),
};
