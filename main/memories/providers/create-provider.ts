import type { MemoriesProvider } from '../../settings/memories-settings.ts';
import { createCodexCliProvider } from './codex-cli.ts';
import { createOpenAIChatProvider } from './openai-chat.ts';
import { createOpenAIResponsesProvider } from './openai-responses.ts';
import type { MemoryProvider, ProviderEnv } from './provider.ts';

/**
 * The provider the memories settings name. Nothing is checked here: a missing key or executable is reported
 * by the first call (`no_key` / `not_found`), so settings can be saved before Codex or the key is set up.
 */
export function createProvider(settings: MemoriesProvider, env: ProviderEnv = process.env): MemoryProvider {
  switch (settings.kind) {
    case 'codex-cli':
      return createCodexCliProvider({ command: settings.command, env });
    case 'openai':
      return createOpenAIResponsesProvider({ baseUrl: settings.baseUrl, apiKeyEnv: settings.apiKeyEnv, env });
    case 'openai-compatible':
      return createOpenAIChatProvider({ baseUrl: settings.baseUrl, apiKeyEnv: settings.apiKeyEnv, env });
  }
}
