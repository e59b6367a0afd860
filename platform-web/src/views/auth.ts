import type { LatchkeyApi } from '../api/latchkey';
import type { Me } from '../api/types';
import { hrefFor } from '../router';
import { h } from '../ui/dom';
import { FormFeedback, formString, inputField, whileBusy } from '../ui/forms';

export interface AuthContext {
  api: LatchkeyApi;
  /** Called once the session cookie is set; preferredOrgId is the org to open first. */
  onAuthenticated(me: Me, preferredOrgId?: string): void;
  notice?: string;
}

function authLayout(title: string, subtitle: string, form: HTMLFormElement, footer: Node, notice?: string): HTMLElement {
  return h(
    'main',
    { id: 'main', class: 'auth-page' },
    h(
      'div',
      { class: 'auth-card' },
      h('p', { class: 'brand brand-large', 'aria-hidden': 'true' }, h('span', { class: 'brand-mark' }), 'Latchkey'),
      h('h1', { tabindex: -1 }, title),
      h('p', { class: 'lead' }, subtitle),
      notice ? h('p', { class: 'alert alert-info', role: 'status' }, notice) : null,
      form,
      h('p', { class: 'auth-footer' }, footer),
    ),
  );
}

export function loginView(ctx: AuthContext): HTMLElement {
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, 'Log in');
  const form = h(
    'form',
    { novalidate: true },
    inputField({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'username' }),
    inputField({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
    submit,
  );
  const feedback = new FormFeedback(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    feedback.clear();
    try {
      const me = await whileBusy(submit, 'Logging in…', () =>
        ctx.api.login(formString(form, 'email').trim(), formString(form, 'password')),
      );
      ctx.onAuthenticated(me);
    } catch (error) {
      feedback.showError(error);
    }
  });

  return authLayout(
    'Log in',
    'Manage API keys and members of your organizations.',
    form,
    h('span', {}, 'New to Latchkey? ', h('a', { href: hrefFor({ name: 'signup' }) }, 'Create an account')),
    ctx.notice,
  );
}

export function signupView(ctx: AuthContext): HTMLElement {
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, 'Create account');
  const form = h(
    'form',
    { novalidate: true },
    inputField({ label: 'Your name', name: 'name', required: true, autocomplete: 'name' }),
    inputField({ label: 'Work email', name: 'email', type: 'email', required: true, autocomplete: 'email' }),
    inputField({
      label: 'Password',
      name: 'password',
      type: 'password',
      required: true,
      autocomplete: 'new-password',
      hint: 'Use a long, unique passphrase.',
    }),
    inputField({
      label: 'Organization name',
      name: 'organization_name',
      required: true,
      autocomplete: 'organization',
      hint: 'You become its owner and can invite teammates later.',
    }),
    submit,
  );
  const feedback = new FormFeedback(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    feedback.clear();
    try {
      const { me, orgId } = await whileBusy(submit, 'Creating account…', async () => {
        const created = await ctx.api.signup({
          email: formString(form, 'email').trim(),
          password: formString(form, 'password'),
          name: formString(form, 'name').trim(),
          organization_name: formString(form, 'organization_name').trim(),
        });
        // Signup answers with the new org only; /v1/me carries the roles the console needs.
        return { me: await ctx.api.me(), orgId: created.organization.id };
      });
      ctx.onAuthenticated(me, orgId);
    } catch (error) {
      feedback.showError(error);
    }
  });

  return authLayout(
    'Create your account',
    'Start an organization to keep your provider keys and mint short-lived tokens.',
    form,
    h('span', {}, 'Already have an account? ', h('a', { href: hrefFor({ name: 'login' }) }, 'Log in')),
  );
}
