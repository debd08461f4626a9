export * from './definitions/index.js';
