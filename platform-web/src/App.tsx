import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api/problem';
import { keys } from './api/queryKeys';
import { routes } from './routes';
import { noteSessionEnded } from './session';
import { ConfirmProvider } from './ui/Dialog';

/** A 401 anywhere means the session ended: forget it, and the guard sends the user to the login. */
function sessionEnded(error: unknown) {
  // A wrong password or code, or a login waiting for its second factor, is not an ended session.
  const loginStep = ['/invalid-credentials', '/mfa-required', '/invalid-mfa-code'].some((type) => error instanceof ApiError && error.problem.type.endsWith(type));
  if (error instanceof ApiError && error.status === 401 && !loginStep) {
    if (queryClient.getQueryData(keys.me)) noteSessionEnded();
    queryClient.setQueryData(keys.me, null);
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: sessionEnded }),
  mutationCache: new MutationCache({ onError: sessionEnded }),
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; a network hiccup might.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      // Usage grows while nobody looks: a screen shows what it has cached and refreshes it on
      // every visit (after a write, its mutation invalidates what it changed).
      staleTime: 0,
    },
  },
});

const router = createBrowserRouter(routes);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ConfirmProvider>
        <RouterProvider router={router} />
      </ConfirmProvider>
    </QueryClientProvider>
  );
}
