/** A user-facing text in both of the product's languages: Danish (the seed's) and English. */
export interface LocalizedText {
  readonly da: string;
  readonly en: string;
}

/** Builds a localized text. */
export const text = (da: string, en: string): LocalizedText => ({ da, en });
