import { useQuery } from '@tanstack/react-query';
import { providers } from '../../api/endpoints';
import { keys } from '../../api/queryKeys';

/** The providers the server knows, with the fields each declares; they do not change while the console runs. */
export function useProviders() {
  return useQuery({ queryKey: keys.providers, queryFn: () => providers.list().then((page) => page.items), staleTime: Infinity });
}
