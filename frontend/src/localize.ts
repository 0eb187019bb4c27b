// The cards' and the panel's own words, in every language the integration ships
// (custom_components/dinstar/translations): one file per language in ./translations,
// each with exactly English's keys and placeholders. The type below makes a missing
// key a build error; tests/integration/test_frontend_translations.py checks the same,
// and that no language of the integration is missing here.
// A language not shipped falls back to its base language, then to English.

import de from "./translations/de.json";
import en from "./translations/en.json";
import es from "./translations/es.json";
import fr from "./translations/fr.json";
import it from "./translations/it.json";
import nl from "./translations/nl.json";
import pl from "./translations/pl.json";
import pt from "./translations/pt.json";
import ptBR from "./translations/pt-BR.json";
import ru from "./translations/ru.json";
import tr from "./translations/tr.json";
import uk from "./translations/uk.json";
import zhHans from "./translations/zh-Hans.json";

export type StringKey = keyof typeof en;
type Strings = Record<StringKey, string>;

const languages: Partial<Record<string, Strings>> = {
  de,
  en,
  es,
  fr,
  it,
  nl,
  pl,
  pt,
  "pt-br": ptBR,
  ru,
  tr,
  uk,
  "zh-hans": zhHans,
};

// Simplified Chinese as browsers name it (the card picker asks the browser). Traditional
// Chinese (zh-Hant, zh-TW) is not shipped and gets English, as the integration's own texts do.
const ALIASES: Partial<Record<string, string>> = {
  zh: "zh-hans",
  "zh-cn": "zh-hans",
  "zh-sg": "zh-hans",
};

/** The language of Home Assistant's user: the locale's, else the profile's. */
export const hassLanguage = (
  hass: { language?: string; locale?: { language?: string } } | undefined,
): string | undefined => hass?.locale?.language || hass?.language;

const strings = (language: string | undefined): Strings => {
  const lower = (language || "en").toLowerCase();
  const tag = ALIASES[lower] ?? lower;
  return languages[tag] ?? languages[tag.split("-")[0]!] ?? en;
};

export const localize = (
  language: string | undefined,
  key: StringKey,
  placeholders: Record<string, string | number> = {},
): string =>
  strings(language)[key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(placeholders[name] ?? `{${name}}`),
  );
