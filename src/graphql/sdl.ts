import { printSchema } from 'graphql';
import type { ResolvedRepository } from '../definitions/resolve.js';
import { buildSchema } from './build/index.js';

/** The SDL of the generated schema (unsorted), printed from the built schema; for tools that want type definitions. */
export const buildSdl = (repo: ResolvedRepository): string => printSchema(buildSchema(repo));
