export * from './value-types.js';
export * from './duration.js';
export * from './objects.js';
export * from './dsl.js';
export * from './errors.js';
export * from './naming.js';
export * from './validate.js';
export * from './resolve.js';
