import type { Command } from 'commander';
export const registerInit = (program: Command) => program.command('init');
