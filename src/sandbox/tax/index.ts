export * from "./calculate";
export * from "./business-figures";
export * from "./bsas-breakdown";
export * from "./foreign-detail";
export * from "./year-income";
export { MODELLED_TAX_YEARS, ratesFor, type TaxRates } from "./rates";
