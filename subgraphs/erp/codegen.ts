import { subgraphCodegen } from '../../codegen.base';

/** Resolver types for the ERP subgraph, generated from its one SDL file. */
export default subgraphCodegen({
  contextType: '../context#ErpContext',
  mappers: {
    Customer: '@crossdock/model#Customer',
    Product: '@crossdock/model#Product',
    Money: '@crossdock/model#Money',
    Invoice: '@crossdock/model#Invoice',
    Order: '../entity-refs#OrderRef',
    OrderLine: '../entity-refs#OrderLineRef',
  },
});
