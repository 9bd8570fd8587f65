#!/usr/bin/env node
// Translations for the plugin (PHP) and the admin page (JS), from .po sources in plugin/languages/.
//
//   node scripts/languages.mjs extract   scan admin-ui/src and plugin/ for strings of the text domain,
//                                        write rackbeat-connector.pot and merge it into every .po
//                                        (translations kept, new strings empty, gone strings dropped)
//   node scripts/languages.mjs build     compile every .po into the .mo WordPress loads for PHP and the
//                                        JSON WordPress loads for the script (wp_set_script_translations):
//                                        rackbeat-connector-<locale>-<md5("build/index.js")>.json
//
// The extractor reads string literals only (no variables), which is what WordPress's own tools
// require of translatable calls too.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import gettextParser from 'gettext-parser';

const DOMAIN = 'rackbeat-connector';
const HERE = dirname( fileURLToPath( import.meta.url ) );
const REPO = resolve( HERE, '../..' );
const LANG_DIR = join( REPO, 'plugin', 'languages' );
const JS_DIR = join( REPO, 'admin-ui', 'src' );
const PHP_DIR = join( REPO, 'plugin' );
/** The script's path relative to the plugin folder, as load_script_textdomain() hashes it. */
const SCRIPT_RELATIVE = 'build/index.js';

export const PLURAL_FORMS = {
	da_DK: 'nplurals=2; plural=(n != 1);',
	nb_NO: 'nplurals=2; plural=(n != 1);',
	sv_SE: 'nplurals=2; plural=(n != 1);',
};

function walk( dir, accept, out = [] ) {
	for ( const name of readdirSync( dir ) ) {
		if ( name === 'node_modules' || name === 'build' || name.startsWith( '.' ) ) {
			continue;
		}
		const path = join( dir, name );
		if ( statSync( path ).isDirectory() ) {
			walk( path, accept, out );
		} else if ( accept( path ) ) {
			out.push( path );
		}
	}
	return out;
}

const STR = String.raw`(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")`;
const SEP = String.raw`\s*,\s*`;

function unquote( single, double, php ) {
	if ( single !== undefined ) {
		return php ? single.replace( /\\(['\\])/g, '$1' ) : unescapeJs( single );
	}
	return php ? double.replace( /\\(["\\$])/g, '$1' ).replace( /\\n/g, '\n' ) : unescapeJs( double );
}

function unescapeJs( text ) {
	return text.replace( /\\(u[0-9a-fA-F]{4}|n|t|.)/g, ( _, c ) => {
		if ( c[ 0 ] === 'u' && c.length === 5 ) {
			return String.fromCharCode( parseInt( c.slice( 1 ), 16 ) );
		}
		return c === 'n' ? '\n' : c === 't' ? '\t' : c;
	} );
}

/**
 * @return {Array<{msgid: string, msgid_plural?: string, msgctxt?: string, reference: string}>}
 */
export function extractFromSource( source, file, php ) {
	const found = [];
	const lineOf = ( index ) => source.slice( 0, index ).split( '\n' ).length;
	const simple = new RegExp( String.raw`\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*${ STR }${ SEP }${ STR }\s*\)`, 'g' );
	for ( const m of source.matchAll( simple ) ) {
		if ( unquote( m[ 3 ], m[ 4 ], php ) === DOMAIN ) {
			found.push( { msgid: unquote( m[ 1 ], m[ 2 ], php ), reference: `${ file }:${ lineOf( m.index ) }` } );
		}
	}
	const withContext = new RegExp( String.raw`\b(?:_x|esc_html_x|esc_attr_x)\(\s*${ STR }${ SEP }${ STR }${ SEP }${ STR }\s*\)`, 'g' );
	for ( const m of source.matchAll( withContext ) ) {
		if ( unquote( m[ 5 ], m[ 6 ], php ) === DOMAIN ) {
			found.push( { msgid: unquote( m[ 1 ], m[ 2 ], php ), msgctxt: unquote( m[ 3 ], m[ 4 ], php ), reference: `${ file }:${ lineOf( m.index ) }` } );
		}
	}
	const plural = new RegExp( String.raw`\b_n\(\s*${ STR }${ SEP }${ STR }${ SEP }[^;]*?,\s*${ STR }\s*\)`, 'g' );
	for ( const m of source.matchAll( plural ) ) {
		if ( unquote( m[ 5 ], m[ 6 ], php ) === DOMAIN ) {
			found.push( { msgid: unquote( m[ 1 ], m[ 2 ], php ), msgid_plural: unquote( m[ 3 ], m[ 4 ], php ), reference: `${ file }:${ lineOf( m.index ) }` } );
		}
	}
	return found;
}

function sources() {
	const js = walk( JS_DIR, ( p ) => /\.js$/.test( p ) && ! /\.test\.js$/.test( p ) && ! p.includes( `${ join( 'src', 'test' ) }` ) );
	const php = walk( PHP_DIR, ( p ) => p.endsWith( '.php' ) );
	return { js, php };
}

/** Every string, merged by context + msgid, with all its references. */
export function collect() {
	const { js, php } = sources();
	const entries = new Map();
	const add = ( item, kind ) => {
		const key = `${ item.msgctxt || '' }\u0004${ item.msgid }`;
		const entry = entries.get( key ) || { msgid: item.msgid, msgctxt: item.msgctxt, msgid_plural: item.msgid_plural, references: [], kinds: new Set() };
		entry.references.push( item.reference );
		entry.kinds.add( kind );
		if ( item.msgid_plural ) {
			entry.msgid_plural = item.msgid_plural;
		}
		entries.set( key, entry );
	};
	for ( const file of js ) {
		extractFromSource( readFileSync( file, 'utf8' ), relative( REPO, file ), false ).forEach( ( item ) => add( item, 'js' ) );
	}
	for ( const file of php ) {
		extractFromSource( readFileSync( file, 'utf8' ), relative( REPO, file ), true ).forEach( ( item ) => add( item, 'php' ) );
	}
	return entries;
}

function poFiles() {
	return readdirSync( LANG_DIR )
		.map( ( name ) => /^rackbeat-connector-([a-z]{2}_[A-Z]{2})\.po$/.exec( name ) )
		.filter( Boolean )
		.map( ( m ) => ( { locale: m[ 1 ], path: join( LANG_DIR, m[ 0 ] ) } ) );
}

function toTranslations( entries, previous ) {
	const translations = { '': {} };
	for ( const entry of entries.values() ) {
		const ctx = entry.msgctxt || '';
		const old = previous && previous[ ctx ] && previous[ ctx ][ entry.msgid ];
		translations[ ctx ] = translations[ ctx ] || {};
		translations[ ctx ][ entry.msgid ] = {
			msgid: entry.msgid,
			...( entry.msgctxt ? { msgctxt: entry.msgctxt } : {} ),
			...( entry.msgid_plural ? { msgid_plural: entry.msgid_plural } : {} ),
			msgstr: old && old.msgstr && old.msgstr.some( Boolean ) ? old.msgstr : entry.msgid_plural ? [ '', '' ] : [ '' ],
			comments: { reference: entry.references.join( '\n' ) },
		};
	}
	return translations;
}

function extract() {
	const entries = collect();
	const headers = { 'Content-Type': 'text/plain; charset=UTF-8', 'Project-Id-Version': 'Rackbeat Connector', 'X-Domain': DOMAIN };
	writeFileSync( join( LANG_DIR, `${ DOMAIN }.pot` ), gettextParser.po.compile( { charset: 'utf-8', headers, translations: toTranslations( entries ) } ) );
	let missing = 0;
	for ( const { locale, path } of poFiles() ) {
		const old = gettextParser.po.parse( readFileSync( path ) );
		const translations = toTranslations( entries, old.translations );
		const untranslated = Object.values( translations )
			.flatMap( ( ctx ) => Object.values( ctx ) )
			.filter( ( t ) => t.msgid !== '' && ! t.msgstr.some( Boolean ) ).length;
		missing += untranslated;
		writeFileSync(
			path,
			gettextParser.po.compile( { charset: 'utf-8', headers: { ...old.headers, Language: locale, 'Plural-Forms': PLURAL_FORMS[ locale ] }, translations } )
		);
		console.log( `${ locale }: ${ entries.size } strings, ${ untranslated } untranslated` );
	}
	console.log( `wrote ${ relative( REPO, join( LANG_DIR, DOMAIN + '.pot' ) ) } (${ entries.size } strings)` );
	return missing;
}

/** Jed 1.x JSON as WordPress's load_script_textdomain() reads it. */
export function jedJson( po, locale, jsMsgids ) {
	const messages = { '': { domain: 'messages', lang: locale, 'plural-forms': po.headers[ 'Plural-Forms' ] || PLURAL_FORMS[ locale ] } };
	for ( const [ ctx, entries ] of Object.entries( po.translations ) ) {
		for ( const entry of Object.values( entries ) ) {
			if ( entry.msgid === '' || ! entry.msgstr.some( Boolean ) || ! jsMsgids.has( `${ ctx }\u0004${ entry.msgid }` ) ) {
				continue;
			}
			messages[ ctx ? `${ ctx }\u0004${ entry.msgid }` : entry.msgid ] = entry.msgstr;
		}
	}
	return { 'translation-revision-date': po.headers[ 'PO-Revision-Date' ] || '', generator: 'rackbeat-connector admin-ui/scripts/languages.mjs', source: SCRIPT_RELATIVE, domain: 'messages', locale_data: { messages } };
}

function build() {
	const entries = collect();
	const jsMsgids = new Set( [ ...entries.entries() ].filter( ( [ , e ] ) => e.kinds.has( 'js' ) ).map( ( [ key ] ) => key ) );
	const hash = createHash( 'md5' ).update( SCRIPT_RELATIVE ).digest( 'hex' );
	for ( const { locale, path } of poFiles() ) {
		const po = gettextParser.po.parse( readFileSync( path ) );
		writeFileSync( join( LANG_DIR, `${ DOMAIN }-${ locale }.mo` ), gettextParser.mo.compile( po ) );
		const json = jedJson( po, locale, jsMsgids );
		writeFileSync( join( LANG_DIR, `${ DOMAIN }-${ locale }-${ hash }.json` ), JSON.stringify( json ) );
		const translated = Object.keys( json.locale_data.messages ).length - 1;
		console.log( `${ locale }: .mo and script JSON (${ translated } of ${ jsMsgids.size } page strings translated)` );
	}
}

const command = process.argv[ 2 ];
if ( command === 'extract' ) {
	extract();
} else if ( command === 'build' ) {
	build();
} else if ( command ) {
	console.error( 'usage: node scripts/languages.mjs extract|build' );
	process.exit( 2 );
}
