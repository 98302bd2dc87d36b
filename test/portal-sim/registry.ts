/** Every method the simulated portal knows, by lower-case name, with its scope. */
import { batchHandler } from './batch';
import type { CallContext, MethodDefinition } from './call';
import { phpDate } from './json';
import { IM_METHODS } from './methods';
import { phpEmpty, phpString, upperKeys } from './php';
import { PULL_METHODS } from './push-config';

/** A portal's scope list for `scope?full=true`. */
const PORTAL_SCOPES = [
  ...['bizproc', 'calendar', 'crm', 'department', 'disk', 'entity', 'im', 'imbot'],
  ...['log', 'placement', 'pull', 'pull_channel', 'sonet_group', 'task', 'user', 'user_basic'],
];

/** CRestProvider::scopeList: the caller's scopes, or every portal scope with FULL. */
function scopeList(call: CallContext): unknown {
  return phpEmpty(upperKeys(call.params)['FULL']) ? [...call.auth.scopes] : PORTAL_SCOPES;
}

/** CRestProvider::methodsList: callable methods of the caller's scopes, without private ones. */
function methodsList(call: CallContext): unknown {
  const params = upperKeys(call.params);
  const scopeParam = phpString(params['SCOPE']);
  const listAll = scopeParam === '' && !phpEmpty(params['FULL']);
  const wanted = scopeParam !== '' ? [scopeParam] : [...call.auth.scopes, ''];
  return Object.entries(METHOD_REGISTRY)
    .filter(([, definition]) => !definition.hidden && (listAll || wanted.includes(definition.scope ?? '')))
    .map(([name]) => name);
}

export const METHOD_REGISTRY: Record<string, MethodDefinition> = {
  batch: { scope: null, handler: batchHandler },
  scope: { scope: null, handler: scopeList },
  methods: { scope: null, handler: methodsList },
  'server.time': { scope: null, handler: (call) => phpDate(call.sim.now(), call.sim.wire.utcOffsetMinutes) },
  ...IM_METHODS,
  ...PULL_METHODS,
};
