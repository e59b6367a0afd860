import { isAbortError } from './api/http';
import type { LatchkeyApi } from './api/latchkey';
import { ApiError, networkProblem } from './api/problem';
import type { Me, Membership } from './api/types';
import { navigate, parseHash, type OrgSection, type Route } from './router';
import { defaultOrganization, rememberOrganization, rememberReturnTo, takeReturnTo } from './session';
import { problemAlert } from './ui/alerts';
import { replaceChildren } from './ui/dom';
import { apiKeysView } from './views/apiKeys';
import { loginView, signupView } from './views/auth';
import type { OrgViewContext } from './views/context';
import { invitationView } from './views/invitation';
import { membersView } from './views/members';
import { noOrganizationsView, notFoundView, unavailableView, unknownOrgView } from './views/messages';
import { shell } from './views/shell';

const SECTION_TITLES: Record<OrgSection, string> = { 'api-keys': 'API keys', members: 'Members' };

/** Owns the session and maps each route to a screen. */
export class App {
  private me: Me | null = null;
  private screen: AbortController | null = null;
  private notice: string | undefined;
  private firstRender = true;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: LatchkeyApi,
  ) {}

  async start(): Promise<void> {
    window.addEventListener('hashchange', () => this.render());
    if (await this.loadSession()) this.render();
  }

  /** Returns false when the server could not say who the user is (and an error screen is shown). */
  private async loadSession(): Promise<boolean> {
    try {
      this.me = await this.api.me();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.me = null;
        return true;
      }
      const problem = error instanceof ApiError ? error.problem : networkProblem();
      this.show(unavailableView(problem, () => void this.refreshSession()), 'Unavailable');
      return false;
    }
  }

  private render(): void {
    this.screen?.abort();
    this.screen = new AbortController();
    const route = parseHash(window.location.hash);

    if (route.name === 'login' || route.name === 'signup') {
      if (this.me) {
        navigate({ name: 'home' }, { replace: true });
        return;
      }
      this.renderAuth(route.name);
      return;
    }

    if (!this.me) {
      if (route.name !== 'home') rememberReturnTo(window.location.hash);
      navigate({ name: 'login' }, { replace: true });
      return;
    }

    this.renderSignedIn(route, this.me, this.screen.signal);
  }

  private renderAuth(name: 'login' | 'signup'): void {
    const context = {
      api: this.api,
      onAuthenticated: (me: Me, preferredOrgId?: string) => this.authenticated(me, preferredOrgId),
      ...(this.notice ? { notice: this.notice } : {}),
    };
    this.notice = undefined;
    this.show(name === 'login' ? loginView(context) : signupView(context), name === 'login' ? 'Log in' : 'Sign up');
  }

  private renderSignedIn(route: Route, me: Me, signal: AbortSignal): void {
    if (route.name === 'home') {
      const org = defaultOrganization(me);
      if (org) {
        navigate({ name: 'org', orgId: org.id, section: 'api-keys' }, { replace: true });
      } else {
        this.showInShell(me, null, null, noOrganizationsView(), 'No organizations');
      }
      return;
    }

    if (route.name === 'invitation') {
      const view = invitationView({
        api: this.api,
        token: route.token,
        signal,
        sessionExpired: () => this.sessionExpired(),
        onJoined: async (orgId) => {
          if (!(await this.loadSession())) return;
          navigate({ name: 'org', orgId, section: 'api-keys' }, { replace: true });
        },
      });
      this.showInShell(me, null, null, view, 'Invitation');
      return;
    }

    if (route.name !== 'org') {
      this.showInShell(me, null, null, notFoundView(), 'Not found');
      return;
    }

    const org = me.organizations.find((candidate) => candidate.id === route.orgId);
    if (!org) {
      this.showInShell(me, null, null, unknownOrgView(), 'Organization not available');
      return;
    }
    rememberOrganization(org.id);
    const context: OrgViewContext = {
      api: this.api,
      me,
      org,
      signal,
      sessionExpired: () => this.sessionExpired(),
      refreshSession: () => this.refreshSession(),
    };
    const view = route.section === 'api-keys' ? apiKeysView(context) : membersView(context);
    this.showInShell(me, org, route.section, view, `${SECTION_TITLES[route.section]} · ${org.name}`);
  }

  private showInShell(me: Me, org: Membership | null, section: OrgSection | null, content: HTMLElement, title: string): void {
    const frame = shell({
      me,
      org,
      section,
      content,
      onSwitchOrg: (orgId) => navigate({ name: 'org', orgId, section: section ?? 'api-keys' }),
      onLogout: (button) => void this.logout(button, content),
    });
    this.show(frame, title);
  }

  private show(element: HTMLElement, title: string): void {
    document.title = `${title} · Latchkey`;
    replaceChildren(this.root, element);
    // Moving focus to the new heading tells screen-reader users the screen changed.
    if (!this.firstRender) element.querySelector<HTMLElement>('h1')?.focus();
    this.firstRender = false;
  }

  private authenticated(me: Me, preferredOrgId?: string): void {
    this.me = me;
    const returnTo = takeReturnTo();
    const returnRoute = returnTo ? parseHash(returnTo) : null;
    // An invitation link opened while signed out: back to it once signed in (or signed up).
    if (returnRoute && returnRoute.name === 'invitation') {
      navigate(returnRoute, { replace: true });
      return;
    }
    if (returnRoute && returnRoute.name === 'org' && me.organizations.some((org) => org.id === returnRoute.orgId)) {
      navigate(returnRoute, { replace: true });
      return;
    }
    const org = defaultOrganization(me, preferredOrgId);
    navigate(org ? { name: 'org', orgId: org.id, section: 'api-keys' } : { name: 'home' }, { replace: true });
  }

  private sessionExpired(): void {
    if (!this.me) return;
    this.me = null;
    this.notice = 'Your session has ended. Please log in again.';
    rememberReturnTo(window.location.hash);
    navigate({ name: 'login' }, { replace: true });
  }

  private async refreshSession(): Promise<void> {
    if (await this.loadSession()) this.render();
  }

  private async logout(button: HTMLButtonElement, content: HTMLElement): Promise<void> {
    button.disabled = true;
    try {
      await this.api.logout();
    } catch (error) {
      // A 401 means the session was already gone, which is what the user wanted.
      if (!(error instanceof ApiError && error.status === 401) && !isAbortError(error)) {
        button.disabled = false;
        const alert = problemAlert(error instanceof ApiError ? error.problem : networkProblem());
        content.prepend(alert);
        alert.focus();
        return;
      }
    }
    this.me = null;
    this.notice = 'You have been logged out.';
    navigate({ name: 'login' }, { replace: true });
  }
}
