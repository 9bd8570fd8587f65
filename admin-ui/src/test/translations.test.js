// The shipped translations (plugin/languages): every string the page's JS and the plugin's PHP hold
// is in the .pot, every .pot string is translated in every .po (all plural forms), translations keep
// their msgid's printf placeholders and HTML tags, and the headers carry the right plural rule.
// The strings in the sources come from `node scripts/languages.mjs list` (the extractor itself), so a
// string added to a screen without running `npm run i18n:extract` and translating it fails here.
// gettext-parser is ESM-only, which this jest setup cannot load, so it runs in a child node process.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ADMIN_UI = resolve( __dirname, '../..' );
const LANG_DIR = resolve( ADMIN_UI, '../plugin/languages' );
const LOCALES = [ 'da_DK', 'nb_NO', 'sv_SE' ];
const PLURAL_FORMS = 'nplurals=2; plural=(n != 1);';

/** printf conversions as PHP's sprintf and @wordpress/i18n's sprintf read them, and "%%". */
const PLACEHOLDER = /%(?:%|(?:\d+\$)?[-+ 0#']*(?:'.)?\d*(?:\.\d+)?[bcdeEfFgGiosuxX])/g;

export function placeholders( text ) {
	return text.match( PLACEHOLDER ) || [];
}

/**
 * Placeholders a translation must keep: positional ones (%1$s) in any order, the others in the
 * msgid's order (they are filled by position).
 */
export function placeholderSignature( text ) {
	const found = placeholders( text );
	const positional = found.filter( ( p ) => /^%\d+\$/.test( p ) );
	const plain = found.filter( ( p ) => ! /^%\d+\$/.test( p ) );
	return JSON.stringify( { positional: [ ...positional ].sort(), plain } );
}

export function htmlTags( text ) {
	return ( text.match( /<\/?[a-zA-Z][^>]*>/g ) || [] ).slice().sort();
}

const key = ( ctx, msgid ) => `${ ctx || '' }\u0004${ msgid }`;

function node( args, input ) {
	const run = spawnSync( process.execPath, args, { cwd: ADMIN_UI, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 } );
	if ( run.status !== 0 ) {
		throw new Error( `node ${ args.join( ' ' ) } failed: ${ run.stderr }` );
	}
	return JSON.parse( run.stdout );
}

/** The .pot and .po files parsed by gettext-parser: { [file]: { headers, translations } }. */
function parseCatalogues( files ) {
	const program = `
		import gettextParser from 'gettext-parser';
		import { readFileSync } from 'node:fs';
		const out = {};
		for ( const file of ${ JSON.stringify( files ) } ) {
			out[ file ] = gettextParser.po.parse( readFileSync( ${ JSON.stringify( LANG_DIR ) } + '/' + file ) );
		}
		process.stdout.write( JSON.stringify( out ) );
	`;
	return node( [ '--input-type=module' ], program );
}

const catalogues = parseCatalogues( [ 'rackbeat-connector.pot', ...LOCALES.map( ( l ) => `rackbeat-connector-${ l }.po` ) ] );

function entriesOf( file ) {
	const parsed = catalogues[ file ];
	const map = new Map();
	for ( const [ ctx, entries ] of Object.entries( parsed.translations ) ) {
		for ( const entry of Object.values( entries ) ) {
			if ( entry.msgid !== '' ) {
				map.set( key( ctx, entry.msgid ), entry );
			}
		}
	}
	return { headers: parsed.headers, entries: map };
}

function sourceStrings() {
	return node( [ join( ADMIN_UI, 'scripts', 'languages.mjs' ), 'list' ] );
}

describe( 'placeholder checks', () => {
	it( 'reads printf conversions, positional ones in any order and plain ones in order', () => {
		expect( placeholders( 'Job %1$d after %2$d attempt(s): %3$s (%3$d %%)' ) ).toEqual( [ '%1$d', '%2$d', '%3$s', '%3$d', '%%' ] );
		expect( placeholderSignature( '%2$s then %1$d' ) ).toBe( placeholderSignature( '%1$d, %2$s' ) );
		expect( placeholderSignature( '%s of %d' ) ).not.toBe( placeholderSignature( '%d of %s' ) );
		expect( placeholderSignature( 'Fix all (%d)' ) ).not.toBe( placeholderSignature( 'Ret alle (%s)' ) );
		expect( placeholderSignature( '100 %' ) ).toBe( placeholderSignature( '100 procent' ) );
		expect( htmlTags( '<strong>a</strong> <a href="x">b</a>' ) ).toEqual( [ '</a>', '</strong>', '<a href="x">', '<strong>' ] );
	} );
} );

describe( 'translations', () => {
	const listed = sourceStrings();
	const pot = entriesOf( 'rackbeat-connector.pot' );

	it( 'the .pot holds every string in the sources, with its plural and context (run `npm run i18n:extract`)', () => {
		const missing = listed.strings
			.filter( ( s ) => {
				const entry = pot.entries.get( key( s.msgctxt, s.msgid ) );
				return ! entry || ( entry.msgid_plural || undefined ) !== s.msgid_plural;
			} )
			.map( ( s ) => `${ s.references[ 0 ] }: ${ s.msgid }` );
		expect( missing ).toEqual( [] );
		expect( listed.strings.length ).toBeGreaterThan( 300 );
		const stale = [ ...pot.entries.keys() ].filter( ( k ) => ! listed.strings.some( ( s ) => key( s.msgctxt, s.msgid ) === k ) );
		expect( stale ).toEqual( [] );
	} );

	describe.each( LOCALES )( '%s', ( locale ) => {
		const po = entriesOf( `rackbeat-connector-${ locale }.po` );

		it( 'has the language and plural-forms headers', () => {
			expect( po.headers.Language ).toBe( locale );
			expect( po.headers[ 'Plural-Forms' ] ).toBe( PLURAL_FORMS );
		} );

		it( 'translates every .pot string, all plural forms', () => {
			const problems = [];
			for ( const [ k, potEntry ] of pot.entries ) {
				const entry = po.entries.get( k );
				const forms = potEntry.msgid_plural ? 2 : 1;
				if ( ! entry ) {
					problems.push( `missing: ${ potEntry.msgid }` );
				} else if ( ( entry.msgid_plural || undefined ) !== ( potEntry.msgid_plural || undefined ) ) {
					problems.push( `plural differs from the .pot: ${ potEntry.msgid }` );
				} else if ( entry.msgstr.length !== forms || entry.msgstr.some( ( form ) => ! form || ! form.trim() ) ) {
					problems.push( `untranslated: ${ potEntry.msgid }` );
				}
			}
			expect( problems ).toEqual( [] );
		} );

		it( 'keeps the placeholders and HTML of every msgid', () => {
			const problems = [];
			for ( const entry of po.entries.values() ) {
				entry.msgstr.forEach( ( form, index ) => {
					if ( ! form ) {
						return;
					}
					const source = index === 0 || ! entry.msgid_plural ? entry.msgid : entry.msgid_plural;
					if ( placeholderSignature( form ) !== placeholderSignature( source ) ) {
						problems.push( `placeholders: "${ source }" → "${ form }"` );
					}
					if ( JSON.stringify( htmlTags( form ) ) !== JSON.stringify( htmlTags( source ) ) ) {
						problems.push( `HTML: "${ source }" → "${ form }"` );
					}
				} );
			}
			expect( problems ).toEqual( [] );
		} );

		it( 'keeps the brand names', () => {
			const problems = [];
			for ( const entry of po.entries.values() ) {
				for ( const brand of [ 'Rackbeat', 'WooCommerce', 'WordPress' ] ) {
					const want = ( entry.msgid.match( new RegExp( brand, 'g' ) ) || [] ).length;
					if ( want && entry.msgstr[ 0 ] && ( entry.msgstr[ 0 ].match( new RegExp( brand, 'g' ) ) || [] ).length < want ) {
						problems.push( `${ brand } lost: "${ entry.msgid }" → "${ entry.msgstr[ 0 ] }"` );
					}
				}
			}
			expect( problems ).toEqual( [] );
		} );
	} );

	it( 'ships the script JSON under the name WordPress looks for: <domain>-<locale>-md5("build/index.js").json', () => {
		const hash = createHash( 'md5' ).update( 'build/index.js' ).digest( 'hex' );
		expect( listed.scriptHash ).toBe( hash );
		for ( const locale of LOCALES ) {
			const path = join( LANG_DIR, `rackbeat-connector-${ locale }-${ hash }.json` );
			expect( existsSync( path ) ).toBe( true );
			const json = JSON.parse( readFileSync( path, 'utf8' ) );
			expect( json.locale_data.messages[ '' ].lang ).toBe( locale );
			expect( json.locale_data.messages[ '' ][ 'plural-forms' ] ).toBe( PLURAL_FORMS );
			expect( existsSync( join( LANG_DIR, `rackbeat-connector-${ locale }.mo` ) ) ).toBe( true );
		}
	} );
} );
