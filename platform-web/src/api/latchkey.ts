import { HttpClient, type RequestOptions } from './http';
import type {
  ApiKey,
  CreatedInvitation,
  InvitationPreview,
  IssuedApiKey,
  Me,
  Member,
  Membership,
  Page,
  Role,
  SignupResult,
} from './types';

export interface SignupRequest {
  email: string;
  password: string;
  name: string;
  organization_name: string;
}

export interface CreateApiKeyRequest {
  name: string;
  scopes: string[];
  expires_at?: string;
}

type Signal = Pick<RequestOptions, 'signal'>;

const orgPath = (orgId: string) => `/v1/orgs/${encodeURIComponent(orgId)}`;

function withCursor(path: string, cursor: string | null | undefined): string {
  return cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : path;
}

/** Typed calls for each endpoint of the public API the console uses. */
export class LatchkeyApi {
  constructor(private readonly http: HttpClient = new HttpClient()) {}

  me(options: Signal = {}): Promise<Me> {
    return this.http.get<Me>('/v1/me', options);
  }

  async signup(request: SignupRequest): Promise<SignupResult> {
    try {
      return await this.http.post<SignupResult>('/v1/auth/signup', request);
    } finally {
      this.http.invalidateCsrfToken();
    }
  }

  async login(email: string, password: string): Promise<Me> {
    try {
      return await this.http.post<Me>('/v1/auth/login', { email, password });
    } finally {
      this.http.invalidateCsrfToken();
    }
  }

  async logout(): Promise<void> {
    try {
      await this.http.post<void>('/v1/auth/logout');
    } finally {
      this.http.invalidateCsrfToken();
    }
  }

  listApiKeys(orgId: string, cursor?: string | null, options: Signal = {}): Promise<Page<ApiKey>> {
    return this.http.get<Page<ApiKey>>(withCursor(`${orgPath(orgId)}/api-keys`, cursor), options);
  }

  createApiKey(orgId: string, request: CreateApiKeyRequest): Promise<IssuedApiKey> {
    return this.http.post<IssuedApiKey>(`${orgPath(orgId)}/api-keys`, request);
  }

  revokeApiKey(orgId: string, keyId: string): Promise<void> {
    return this.http.delete(`${orgPath(orgId)}/api-keys/${encodeURIComponent(keyId)}`);
  }

  rotateApiKey(orgId: string, keyId: string, graceSeconds: number): Promise<IssuedApiKey> {
    return this.http.post<IssuedApiKey>(
      `${orgPath(orgId)}/api-keys/${encodeURIComponent(keyId)}/rotate`,
      { grace_seconds: graceSeconds },
    );
  }

  listMembers(orgId: string, cursor?: string | null, options: Signal = {}): Promise<Page<Member>> {
    return this.http.get<Page<Member>>(withCursor(`${orgPath(orgId)}/members`, cursor), options);
  }

  inviteMember(orgId: string, email: string, role: Role): Promise<CreatedInvitation> {
    return this.http.post<CreatedInvitation>(`${orgPath(orgId)}/members`, { email, role });
  }

  revokeInvitation(orgId: string, invitationId: string): Promise<void> {
    return this.http.delete(`${orgPath(orgId)}/invitations/${encodeURIComponent(invitationId)}`);
  }

  // The token travels in the body, never in a URL that servers log.
  previewInvitation(token: string, options: Signal = {}): Promise<InvitationPreview> {
    return this.http.post<InvitationPreview>('/v1/invitations/preview', { token }, options);
  }

  acceptInvitation(token: string): Promise<{ organization: Membership }> {
    return this.http.post<{ organization: Membership }>('/v1/invitations/accept', { token });
  }

  changeMemberRole(orgId: string, userId: string, role: Role): Promise<Member> {
    return this.http.patch<Member>(`${orgPath(orgId)}/members/${encodeURIComponent(userId)}`, { role });
  }

  removeMember(orgId: string, userId: string): Promise<void> {
    return this.http.delete(`${orgPath(orgId)}/members/${encodeURIComponent(userId)}`);
  }
}
