/**
 * Who is making a request, as the authentication plugin established it (docs/auth.md). Policies that
 * depend on the caller (introspection, trusted documents, field scopes) read it from here, so they do not
 * depend on how it was established.
 */
export interface Principal {
  readonly name: string;
  readonly scopes: readonly string[];
}

const principals = new WeakMap<Request, Principal>();

export const getPrincipal = (request: Request): Principal | undefined => principals.get(request);

export const setPrincipal = (request: Request, p: Principal): void => {
  principals.set(request, p);
};
