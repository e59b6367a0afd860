import { Navigate, type RouteObject } from 'react-router';
import { AdminArea, AdminAuditScreen, AdminKeysScreen, AdminOrganizationsScreen, AdminUsageScreen } from './screens/admin/Admin';
import { AccountScreen } from './screens/Account';
import { ResetPasswordScreen, VerifyEmailScreen } from './screens/AccountLinks';
import { AdminManagedCredentialsScreen } from './screens/admin/ManagedCredentials';
import { ApiKeysScreen } from './screens/ApiKeys';
import { AuditScreen } from './screens/Audit';
import { LoginScreen, SignupScreen } from './screens/Auth';
import { CredentialsScreen } from './screens/Credentials';
import { InvitationScreen } from './screens/Invitation';
import { InvoiceScreen, LedgerScreen } from './screens/Ledger';
import { MembersScreen } from './screens/Members';
import { OriginsScreen } from './screens/Origins';
import { PoliciesScreen } from './screens/Policies';
import { Home, NotFound, SignedIn } from './screens/Shell';
import { UsageScreen } from './screens/Usage';
import { WebhookDeliveriesScreen, WebhooksScreen } from './screens/Webhooks';

/**
 * The console's URLs. platform-api answers every such path with index.html (ConsoleRoutes), so
 * each of them can be opened, reloaded and shared.
 */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginScreen /> },
  { path: '/signup', element: <SignupScreen /> },
  { path: '/verify-email', element: <VerifyEmailScreen /> },
  { path: '/reset-password', element: <ResetPasswordScreen /> },
  {
    path: '/',
    element: <SignedIn />,
    children: [
      { index: true, element: <Home /> },
      { path: 'invitations/accept', element: <InvitationScreen /> },
      { path: 'account', element: <AccountScreen /> },
      {
        path: 'orgs/:orgId',
        children: [
          { index: true, element: <Navigate to="usage" replace /> },
          { path: 'usage', element: <UsageScreen /> },
          { path: 'credentials', element: <CredentialsScreen /> },
          { path: 'api-keys', element: <ApiKeysScreen /> },
          { path: 'policies', element: <PoliciesScreen /> },
          { path: 'ledger', element: <LedgerScreen /> },
          { path: 'invoice', element: <InvoiceScreen /> },
          { path: 'webhooks', element: <WebhooksScreen /> },
          { path: 'webhooks/:webhookId', element: <WebhookDeliveriesScreen /> },
          { path: 'audit', element: <AuditScreen /> },
          { path: 'members', element: <MembersScreen /> },
          { path: 'origins', element: <OriginsScreen /> },
          { path: '*', element: <NotFound /> },
        ],
      },
      {
        path: 'admin',
        element: <AdminArea />,
        children: [
          { index: true, element: <Navigate to="orgs" replace /> },
          { path: 'orgs', element: <AdminOrganizationsScreen /> },
          { path: 'usage', element: <AdminUsageScreen /> },
          { path: 'credentials', element: <AdminManagedCredentialsScreen /> },
          { path: 'audit', element: <AdminAuditScreen /> },
          { path: 'keys', element: <AdminKeysScreen /> },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];
