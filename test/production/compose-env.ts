import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The environment a container of `service` gets: the Dockerfile's last `ENV` lines, then the
 * service's `environment` with `${VAR}`, `${VAR:-default}` and `${VAR:?message}` filled from `dotenv`
 * (what docker compose does with .env). A `:?` variable missing from `dotenv` throws its message,
 * as `docker compose up` would stop.
 */
export function composeEnvironment(
  root: string,
  service: string,
  dotenv: Record<string, string>,
): Record<string, string> {
  const compose = parse(readFileSync(`${root}/docker-compose.yml`, 'utf8')) as {
    services: Record<string, { environment?: Record<string, string | number | boolean> | string[] }>;
  };
  const declared = compose.services[service]?.environment ?? {};
  const entries: [string, string][] = Array.isArray(declared)
    ? declared.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(declared).map(([k, v]) => [k, String(v)]);
  return { ...imageEnvironment(root), ...Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, dotenv)])) };
}

/** `ENV A=1 B=2` lines of the Dockerfile's final stage. */
function imageEnvironment(root: string): Record<string, string> {
  const dockerfile = readFileSync(`${root}/Dockerfile`, 'utf8');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const [, assignments] of finalStage.matchAll(/^ENV\s+(.+)$/gm))
    for (const [, key, value] of assignments!.matchAll(/(\w+)=("[^"]*"|\S+)/g))
      env[key!] = value!.replace(/^"|"$/g, '');
  return env;
}

function interpolate(value: string, dotenv: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const given = dotenv[name];
    if (given !== undefined && given !== '') return given;
    if (op?.endsWith('?')) throw new Error(`docker compose would stop: ${name}: ${arg}`);
    return op?.endsWith('-') ? (arg ?? '') : '';
  });
}
