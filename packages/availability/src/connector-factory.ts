import type { ChannelRules } from './channel-rules';
import { InventoryAdviceConnector, readAdvicePartner } from './connectors/inventory-advice';
import { MarketplaceInventoryConnector } from './connectors/marketplace-inventory';
import { ShopifyInventoryConnector } from './connectors/shopify-inventory';
import type { ChannelConnector } from './ports';

/** Where connectors find what the rules files only name. */
export interface ConnectorEnvironment {
  /** Values of the `urlEnv` variables (process.env in a main). */
  env: Readonly<Record<string, string | undefined>>;
  /** config/partners, for 846 feeds. */
  partnersDir: string;
}

/** The connector a channel's rules ask for; throws naming a missing URL variable or partner file. */
export function connectorFor(rules: ChannelRules, { env, partnersDir }: ConnectorEnvironment): ChannelConnector {
  const config = rules.connector;
  const baseUrl = env[config.urlEnv];
  if (!baseUrl) throw new Error(`availability feed for channel ${rules.channel}: ${config.urlEnv} (its ${config.kind} URL) is not set`);
  switch (config.kind) {
    case 'shopify':
      return new ShopifyInventoryConnector({ baseUrl, locations: config.locations });
    case 'marketplace':
      return new MarketplaceInventoryConnector({ baseUrl, name: config.name, batchSize: config.batchSize });
    case 'edi-846':
      return new InventoryAdviceConnector({ url: `${baseUrl}/edi/${config.partner}/846`, partner: readAdvicePartner(partnersDir, config.partner), batchSize: config.batchSize });
  }
}
