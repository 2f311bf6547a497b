import { NAME_PATTERN } from '../kit/config/wire.ts';
import { ConfigServiceError } from './errors.ts';

/** What a request needs: to read or write a namespace, or to administer keys. */
export type Access = { kind: 'read' | 'write'; namespace: string } | { kind: 'admin' };

const SCOPE = /^(read|write):(\*|[a-z0-9][a-z0-9._-]{0,127})$/;

/**
 * Validate scopes when a key is created. Accepted: `admin` (everything, including keys),
 * `read:<namespace>`, `write:<namespace>` (write implies read), and `*` for every namespace.
 *
 * @example
 * parseScopes(['read:shortener', 'write:billing']);
 */
export function parseScopes(scopes: readonly string[]): string[] {
  if (scopes.length === 0)
    throw new ConfigServiceError('invalid_scope', 'give at least one scope', 400);
  for (const scope of scopes) {
    if (scope !== 'admin' && !SCOPE.test(scope)) {
      throw new ConfigServiceError(
        'invalid_scope',
        `scope "${scope}" is not admin, read:<namespace>, write:<namespace> or read:*/write:*`,
        400,
      );
    }
  }
  return [...new Set(scopes)];
}

/**
 * Whether a key with `scopes` may do `access`.
 *
 * @example
 * allows(['read:shortener'], { kind: 'write', namespace: 'shortener' }); // false
 */
export function allows(scopes: readonly string[], access: Access): boolean {
  if (scopes.includes('admin')) return true;
  if (access.kind === 'admin') return false;
  const { namespace } = access;
  const can = (verb: string) =>
    scopes.includes(`${verb}:${namespace}`) || scopes.includes(`${verb}:*`);
  return access.kind === 'read' ? can('read') || can('write') : can('write');
}

/** Throw a 400 unless `name` is a valid namespace or key. */
export function checkName(what: 'namespace' | 'key', name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new ConfigServiceError(
      'invalid_name',
      `${what} must be 1-128 characters of a-z, 0-9, ".", "_", "-", not starting with "." "_" or "-"`,
      400,
    );
  }
  return name;
}
