import { describe, expect, it } from 'vitest';
import type { ProviderDescription } from '../api/schema';
import { credentialInputs, credentialRequest } from './credentialForm';

const liveKit: ProviderDescription = {
  id: 'livekit',
  name: 'LiveKit',
  secret: [{ name: 'api_secret', label: 'API secret', required: true, kind: 'secret', example: '' }],
  config: [
    { name: 'api_key', label: 'API key', required: true, kind: 'name', example: 'APIxxxxxxxx' },
    { name: 'url', label: 'Server URL', required: true, kind: 'realtime_url', example: 'wss://my-project.livekit.cloud' },
  ],
  allowed_hosts: ['*.livekit.cloud'],
};

const openAi: ProviderDescription = {
  id: 'openai',
  name: 'OpenAI',
  secret: [{ name: 'api_key', label: 'API key', required: true, kind: 'secret', example: 'sk-...' }],
  config: [{ name: 'project', label: 'Project ID', required: false, kind: 'name', example: 'proj_...' }],
  allowed_hosts: [],
};

describe('credential form schema', () => {
  it('asks for the secret fields as write-only passwords, then the config fields', () => {
    const inputs = credentialInputs(liveKit);
    expect(inputs.map((i) => i.name)).toEqual(['secret.api_secret', 'config.api_key', 'config.url']);
    expect(inputs[0]).toMatchObject({ type: 'password', secret: true, required: true });
    expect(inputs[2]).toMatchObject({ type: 'url', placeholder: 'wss://my-project.livekit.cloud' });
    expect(inputs[2]?.hint).toContain('*.livekit.cloud');
  });

  it('marks optional fields in their label', () => {
    expect(credentialInputs(openAi)[1]?.label).toBe('Project ID (optional)');
  });

  it('builds the request with the declared groups and leaves out empty optional fields', () => {
    const result = credentialRequest(openAi, ' main ', new Map([['secret.api_key', 'sk-123456789'], ['config.project', '  ']]));
    expect(result).toEqual({
      ok: true,
      request: { provider: 'openai', label: 'main', secret: { api_key: 'sk-123456789' }, config: {} },
    });
  });

  it('names every missing required field with the path the server would use', () => {
    const result = credentialRequest(liveKit, '', new Map([['config.api_key', 'APIabc']]));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.errors?.map((e) => e.field)).toEqual(['label', 'secret.api_secret', 'config.url']);
    }
  });
});
