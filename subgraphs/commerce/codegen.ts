import { subgraphCodegen } from '../../codegen.base';

/** Resolver types for the commerce subgraph, generated from its one SDL file. */
export default subgraphCodegen({
  contextType: '../context#CommerceContext',
  mappers: {
    Order: '@crossdock/model#Order',
    OrderLine: '@crossdock/model#OrderLine',
    Customer: '../references#CustomerRef',
    Product: '../references#ProductRef',
    HubException: '@crossdock/exceptions#HubException',
    ExceptionReplayResult: '@crossdock/exceptions#ReplayResult',
    EdiDocument: '@crossdock/channels#EdiDocument',
    EdiInterchangeResult: '@crossdock/channels#InterchangeResult',
    EdiPurchaseOrderResult: '@crossdock/channels#PurchaseOrderResult',
    EdiIssue: '@crossdock/channels#IntakeIssue',
  },
});
