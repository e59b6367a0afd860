import type { components } from './generated/openapi';

/** Every schema of the platform's OpenAPI document (generated from openapi.json at build time). */
export type Schemas = components['schemas'];

/**
 * The document says which properties every response carries, not which may be null (springdoc
 * cannot tell from a Java record). The console knows the few that may be, and says so here, so
 * that the compiler makes every screen handle them.
 */
type Nullable<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null };

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Role = 'owner' | 'admin' | 'developer' | 'billing' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'developer', 'billing', 'viewer'];

export type User = Schemas['UserView'];
export type Organization = Omit<Schemas['OrganizationView'], 'role'> & { role: Role };
export type Session = Omit<Schemas['SessionView'], 'organizations'> & { organizations: Organization[] };
export type SignupRequest = Schemas['AuthSignupRequest'];
export type SignupResult = Schemas['SignupResult'];

export type ApiKey = Nullable<Schemas['ApiKeyView'], 'expires_at' | 'last_used_at' | 'revoked_at' | 'created_by' | 'rate_limit_per_minute'>;
export type CreatedApiKey = Nullable<Schemas['CreatedApiKey'], 'expires_at'>;
export type CreateApiKeyRequest = Schemas['ApiKeysCreateRequest'];

export type Member = Nullable<
  Schemas['MemberView'],
  'name' | 'joined_at' | 'user_id' | 'invitation_id' | 'invited_at' | 'expires_at'
> & { role: Role };
export type CreatedInvitation = Omit<Schemas['CreatedInvitation'], 'role'> & { role: Role };
export type InvitationPreview = Omit<Schemas['InvitationPreview'], 'role'> & { role: Role };
export type AcceptedInvitation = Omit<Schemas['InvitationsAccepted'], 'organization'> & { organization: Organization };

export type Credential = Nullable<Schemas['CredentialView'], 'rotated_at' | 'verified_at' | 'verification'>;
export type CreateCredentialRequest = Schemas['CredentialsCreateRequest'];
export type VerifiedCredential = Nullable<Schemas['CredentialServiceVerifiedCredential'], 'detail'>;
export type ProviderDescription = Schemas['CredentialSchemaProviderDescription'];
export type ProviderField = Nullable<Schemas['CredentialSchemaFieldDescription'], 'example'>;

export type SessionPolicy = Nullable<Schemas['SessionPolicy'], 'pinned' | 'default_ttl_seconds' | 'max_ttl_seconds' | 'max_session_seconds'>;

export type Quota = Schemas['QuotaView'];
export type QuotaChange = Schemas['QuotaChangeRequest'];
export type Usage = Schemas['UsageViewsUsage'];
export type UsageRow = Schemas['UsageViewsRow'];
export type UsageAlert = Schemas['UsageViewsAlert'];
export type InvoicePreview = Schemas['UsageViewsInvoicePreview'];
export type LedgerEntry = Nullable<
  Schemas['LedgerEntryView'],
  'api_key_id' | 'credential_id' | 'end_user' | 'request_id' | 'reverses' | 'note'
>;

export type WebhookEndpoint = Nullable<Schemas['WebhookViewsEndpoint'], 'description'>;
export type CreatedWebhook = Nullable<Schemas['WebhookViewsCreated'], 'description'>;
export type CreateWebhookRequest = Schemas['WebhooksCreateRequest'];
export type WebhookDelivery = Nullable<
  Schemas['WebhookViewsDelivery'],
  'delivered_at' | 'last_error' | 'last_status_code' | 'next_attempt_at'
>;

export type AuditEvent = Nullable<
  Schemas['AuditEventView'],
  'seq' | 'actor_id' | 'org_id' | 'target_type' | 'target_id' | 'ip' | 'user_agent' | 'request_id'
>;
export type ChainVerification = Nullable<
  Schemas['ChainVerification'],
  'first_broken_seq' | 'first_broken_id' | 'reason' | 'anchor_seq' | 'last_seq' | 'last_checkpoint_seq' | 'oldest_pending_seconds'
>;

export type AdminOrganization = Nullable<Schemas['AdminOrganizationView'], 'suspended_at' | 'suspension_reason' | 'usage'>;

/** The platform's own credentials (platform admins only); a cap value of null is no cap. */
export type PlatformCredentialCap = Nullable<Schemas['PlatformCredentialViewCap'], 'requests_per_minute' | 'requests_per_month'>;
export type PlatformCredential = Omit<Nullable<Schemas['PlatformCredentialView'], 'rotated_at' | 'verified_at' | 'verification'>, 'cap'> & {
  cap: PlatformCredentialCap;
};
export type CreatePlatformCredentialRequest = Schemas['PlatformCredentialsCreateRequest'];
export type PlatformCredentialCapChange = Schemas['PlatformCredentialsCapBody'];
export type VerifiedPlatformCredential = Nullable<Schemas['PlatformCredentialServiceVerifiedPlatformCredential'], 'detail'>;
export type ManagedAccess = Schemas['ManagedAccessView'];
export type CredentialSource = 'own' | 'managed' | 'byok';
export type KeyRotation = Schemas['EnvelopeEncryptionRotation'];
export type AllowedOrigins = Schemas['AllowedOriginsAllowedOriginsBody'];
