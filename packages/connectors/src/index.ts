export * from './ports';
export * from './backend-error';
export { JsonHttpClient, type ConnectorOptions, type HttpClientOptions, type JsonRequest, type JsonResponse, type JsonTransport } from './http-client';
export { MAX_BATCH } from './batch';
export { ErpHttpConnector } from './erp-connector';
export { WmsHttpConnector } from './wms-connector';
export { CommerceHttpConnector } from './commerce-connector';
export { ShippingHttpConnector } from './shipping-connector';
