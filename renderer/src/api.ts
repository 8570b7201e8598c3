/**
 * The renderer's only way to the core: window.app (Electron preload or the web host's bridge).
 * Typed from the contract; failures become ApiError with the core's Chinese message.
 */
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import type { AppErrorShape } from '../../main/core/contract/errors';
import type { CommandName, Input, Output } from '../../main/core/contract/index';

export class ApiError extends Error {
  readonly code: AppErrorShape['code'];
  readonly details?: Record<string, unknown>;
  constructor(shape: AppErrorShape) {
    super(shape.message);
    this.code = shape.code;
    this.details = shape.details;
  }
}

export async function call<N extends CommandName>(name: N, input: Input<N>): Promise<Output<N>> {
  const r = await window.app.invoke(name, input);
  if (!r.ok) throw new ApiError(r.error);
  return r.value;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** A query over one command; the key is [name, input] so identical calls share the cache. */
export function useCommandQuery<N extends CommandName>(
  name: N,
  input: Input<N>,
  options: Omit<UseQueryOptions<Output<N>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<Output<N>, ApiError>({
    queryKey: [name, input],
    queryFn: () => call(name, input),
    ...options,
  });
}

/** A mutation over one command; every cache is refreshed afterwards (events also do this). */
export function useCommand<N extends CommandName>(
  name: N,
  options: Omit<UseMutationOptions<Output<N>, ApiError, Input<N>>, 'mutationFn'> = {},
) {
  const qc = useQueryClient();
  return useMutation<Output<N>, ApiError, Input<N>>({
    mutationFn: (input) => call(name, input),
    ...options,
    onSuccess: (...args) => {
      void qc.invalidateQueries();
      return options.onSuccess?.(...args);
    },
  });
}
