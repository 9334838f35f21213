import { configHelp, loadConfig } from '../../config.js';
import { serve } from '../../main.js';
import type { Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the server: S3 gateway at /, REST API under /api/v1',
  usage: `Usage: trove serve [flags]\n\nRuns Trove until SIGTERM or SIGINT.\n\n${configHelp()}`,
  run: (argv, env) => serve(loadConfig(argv, env)),
};
