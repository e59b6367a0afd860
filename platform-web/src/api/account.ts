import { http, orgPath } from './client';
import type { Organization, Page, Session } from './schema';

// The account lifecycle: email verification, password reset and change, two-factor
// authentication and console sessions. Tokens from mailed links travel in request bodies only.

export interface MfaStatus {
  enabled: boolean;
  enabled_at: string | null;
  recovery_codes_remaining: number;
}

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
}

export interface RecoveryCodes {
  recovery_codes: string[];
}

export interface ConsoleSession {
  id: string;
  current: boolean;
  device: string;
  user_agent: string | null;
  ip: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

const id = encodeURIComponent;

export const account = {
  /** The second step of a login whose password was right (the session remembers the first). */
  async loginSecondFactor(code: string): Promise<Session> {
    try {
      return await http.post<Session>('/v1/auth/login/mfa', { code });
    } finally {
      http.invalidateCsrfToken();
    }
  },
  verifyEmail: (token: string) => http.post<void>('/v1/auth/verify-email', { token }),
  sendVerification: () => http.post<{ detail: string }>('/v1/me/email-verification'),
  requestPasswordReset: (email: string) => http.post<{ detail: string }>('/v1/auth/password-reset', { email }),
  resetPassword: (token: string, password: string) => http.post<void>('/v1/auth/password-reset/confirm', { token, password }),
  changePassword: (currentPassword: string, newPassword: string) =>
    http.post<void>('/v1/me/password', { current_password: currentPassword, new_password: newPassword }),
  mfa: () => http.get<MfaStatus>('/v1/me/mfa'),
  beginTotp: () => http.post<TotpEnrolment>('/v1/me/mfa/totp'),
  confirmTotp: (code: string) => http.post<RecoveryCodes>('/v1/me/mfa/totp/confirm', { code }),
  disableMfa: (password: string, code: string) => http.post<void>('/v1/me/mfa/disable', { password, code }),
  regenerateRecoveryCodes: (code: string) => http.post<RecoveryCodes>('/v1/me/mfa/recovery-codes', { code }),
  sessions: () => http.get<Page<ConsoleSession>>('/v1/me/sessions'),
  endSession: (sessionId: string) => http.delete(`/v1/me/sessions/${id(sessionId)}`),
  endOtherSessions: () => http.post<{ ended: number }>('/v1/me/sessions/end-others'),
  requireMfa: (orgId: string, required: boolean) => http.put<Organization>(`${orgPath(orgId)}/security`, { require_mfa: required }),
  resendInvitation: (orgId: string, invitationId: string) =>
    http.post<{ detail: string }>(`${orgPath(orgId)}/invitations/${id(invitationId)}/resend`),
};

/** A token from a mailed link's fragment (`#token=...`), which no server sees. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get('token');
  return token && token.trim() ? token.trim() : null;
}
