// `trove session …` arrives with the S3 gateway's session credentials.
import type { Command } from '../command.js';

export const sessionCommands: Command[] = [];
