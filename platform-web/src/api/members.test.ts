import { describe, expect, it } from 'vitest';
import { invitationTokenFrom } from './members';

describe('invitationTokenFrom', () => {
  it('reads the token from the fragment of an invitation link', () => {
    expect(invitationTokenFrom('#token=invite_abc123')).toBe('invite_abc123');
    expect(invitationTokenFrom('token=invite_abc123')).toBe('invite_abc123');
  });

  it('has nothing for a fragment without a token', () => {
    expect(invitationTokenFrom('')).toBeNull();
    expect(invitationTokenFrom('#')).toBeNull();
    expect(invitationTokenFrom('#token=')).toBeNull();
    expect(invitationTokenFrom('#other=1')).toBeNull();
  });
});
