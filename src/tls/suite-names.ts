// A suite's descriptor (abi/tables.json) by either of its names: the IANA
// name the engine binding reports ('TLS_PSK_WITH_AES_128_GCM_SHA256') or the
// OpenSSL name node:tls uses for TLS 1.2 suites ('PSK-AES128-GCM-SHA256').
import { SUITE_TABLE, type SuiteDescriptor } from '../engine/tables.ts';

const BY_NAME = new Map<string, SuiteDescriptor>(SUITE_TABLE.flatMap((d) => [[d.name, d], [d.openssl, d]] as [string, SuiteDescriptor][]));

export function suiteByName(name: string): SuiteDescriptor | undefined {
  return BY_NAME.get(name);
}
