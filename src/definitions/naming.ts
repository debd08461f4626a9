/** GraphQL names derive from definition names (docs/architecture.md, "Names"): snake_case → camelCase / PascalCase. */

export const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

export const camelCase = (snake: string): string => snake.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_+$/, '');

export const pascalCase = (snake: string): string => {
  const c = camelCase(snake);
  return c.charAt(0).toUpperCase() + c.slice(1);
};

/** Plural root field: `driver` → `drivers`, `driver_customer` → `driverCustomers`. */
export const pluralField = (snake: string): string => {
  const c = camelCase(snake);
  if (/[^aeiou]y$/.test(c)) return `${c.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(c)) return `${c}es`;
  return `${c}s`;
};

/** Name of a composite key made of several entities, in the view's order: `driver_customer`. */
export const compositeName = (entityNames: readonly string[]): string => entityNames.join('_');
