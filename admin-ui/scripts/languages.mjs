#!/usr/bin/env node
// Translations for the plugin (PHP) and the admin page (JS), from .po sources in plugin/languages/.
//
//   node scripts/languages.mjs extract   scan admin-ui/src and plugin/ for strings of the text domain,
//                                        write rackbeat-connector.pot and merge it into every .po
//                                        (translations kept, new strings empty, gone strings dropped)
//   node scripts/languages.mjs build     compile every .po into the .mo WordPress loads for PHP and the
//                                        JSON WordPress loads for the script (wp_set_script_translations):
//                                        rackbeat-connector-<locale>-<md5("build/index.js")>.json
//   node scripts/languages.mjs list      print the strings the sources hold now, as JSON (used by
//                                        src/test/translations.test.js)
//
// The extractor parses the sources (JS with @babel/parser, PHP with php-parser) and reads the calls
// WordPress's `wp i18n make-pot` reads: __, _e, _x, _ex, _n, _nx, _n_noop, _nx_noop and the
// esc_html/esc_attr variants, with literal (or literally concatenated) text, and the translator
// comments before them. A call of our domain it cannot read, or a file it cannot parse, stops it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as babelParse } from '@babel/parser';
import gettextParser from 'gettext-parser';
import phpParser from 'php-parser';

const PhpEngine = phpParser.Engine;

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

/**
 * The translation functions and where their arguments are: the same keywords WordPress's own
 * `wp i18n make-pot` looks for (PHP) and the four @wordpress/i18n exports (JS).
 * Positions are 0-based argument indexes; `number` arguments are skipped.
 */
export const KEYWORDS = {
	__: { msgid: 0, domain: 1 },
	_e: { msgid: 0, domain: 1 },
	esc_html__: { msgid: 0, domain: 1 },
	esc_html_e: { msgid: 0, domain: 1 },
	esc_attr__: { msgid: 0, domain: 1 },
	esc_attr_e: { msgid: 0, domain: 1 },
	_x: { msgid: 0, msgctxt: 1, domain: 2 },
	_ex: { msgid: 0, msgctxt: 1, domain: 2 },
	esc_html_x: { msgid: 0, msgctxt: 1, domain: 2 },
	esc_attr_x: { msgid: 0, msgctxt: 1, domain: 2 },
	_n: { msgid: 0, msgid_plural: 1, domain: 3 },
	_n_noop: { msgid: 0, msgid_plural: 1, domain: 2 },
	_nx: { msgid: 0, msgid_plural: 1, msgctxt: 3, domain: 4 },
	_nx_noop: { msgid: 0, msgid_plural: 1, msgctxt: 2, domain: 3 },
};
const JS_KEYWORDS = new Set( [ '__', '_x', '_n', '_nx' ] );

/**
 * Translator comments ("translators: …"), each given to the first translation call after it when that
 * call starts on the comment's last line or within two lines of it (as in `sprintf(\n/* translators *\/\n__(…)`).
 *
 * @return {Map<object, string>} call → comment text
 */
function translatorComments( comments, calls ) {
	const byCall = new Map();
	const ordered = [ ...calls ].sort( ( a, b ) => a.offset - b.offset );
	for ( const c of comments ) {
		if ( ! /translators:/i.test( c.text ) ) {
			continue;
		}
		const call = ordered.find( ( candidate ) => candidate.offset >= c.endOffset );
		if ( call && call.line - c.endLine <= 2 ) {
			const text = c.text.replace( /^\/\*+|\*+\/$|^\/\/|^#/g, '' ).replace( /^\s*\*\s?/gm, '' ).trim();
			byCall.set( call, text );
		}
	}
	return byCall;
}

/** Generic AST walk: calls `visit` on every object that has a `type` (Babel) or `kind` (php-parser). */
function walkAst( node, visit ) {
	if ( Array.isArray( node ) ) {
		node.forEach( ( child ) => walkAst( child, visit ) );
		return;
	}
	if ( ! node || typeof node !== 'object' ) {
		return;
	}
	visit( node );
	for ( const [ key, value ] of Object.entries( node ) ) {
		if ( key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'comments' ) {
			continue;
		}
		if ( value && typeof value === 'object' ) {
			walkAst( value, visit );
		}
	}
}

/** The string a JS argument stands for when it is a literal ('a', `a`, 'a' + 'b'), else undefined. */
function jsLiteral( node ) {
	if ( ! node ) {
		return undefined;
	}
	if ( node.type === 'StringLiteral' ) {
		return node.value;
	}
	if ( node.type === 'TemplateLiteral' && node.expressions.length === 0 ) {
		return node.quasis.map( ( q ) => q.value.cooked ).join( '' );
	}
	if ( node.type === 'BinaryExpression' && node.operator === '+' ) {
		const left = jsLiteral( node.left );
		const right = jsLiteral( node.right );
		return left === undefined || right === undefined ? undefined : left + right;
	}
	return undefined;
}

/** The string a PHP argument stands for when it is a literal ('a', "a" without variables, 'a' . 'b'), else undefined. */
function phpLiteral( node ) {
	if ( ! node ) {
		return undefined;
	}
	if ( node.kind === 'string' ) {
		return node.value;
	}
	if ( node.kind === 'nowdoc' ) {
		return node.value;
	}
	if ( node.kind === 'bin' && node.type === '.' ) {
		const left = phpLiteral( node.left );
		const right = phpLiteral( node.right );
		return left === undefined || right === undefined ? undefined : left + right;
	}
	return undefined;
}

function parseJs( source, file ) {
	const ast = babelParse( source, {
		sourceType: 'module',
		sourceFilename: file,
		errorRecovery: false,
		plugins: [ 'jsx', ...( /\.tsx?$/.test( file ) ? [ 'typescript' ] : [] ) ],
	} );
	const comments = ( ast.comments || [] ).map( ( c ) => ( {
		text: c.type === 'CommentBlock' ? `/*${ c.value }*/` : `//${ c.value }`,
		endLine: c.loc.end.line,
		endOffset: c.end,
	} ) );
	const calls = [];
	walkAst( ast.program, ( node ) => {
		if ( node.type !== 'CallExpression' ) {
			return;
		}
		const callee = node.callee;
		let name;
		if ( callee.type === 'Identifier' ) {
			name = callee.name;
		} else if ( callee.type === 'MemberExpression' && ! callee.computed && callee.property.type === 'Identifier' ) {
			name = callee.property.name;
		} else if ( callee.type === 'SequenceExpression' ) {
			const last = callee.expressions[ callee.expressions.length - 1 ];
			name = last && last.type === 'MemberExpression' && last.property.type === 'Identifier' ? last.property.name : undefined;
		}
		if ( ! name || ! JS_KEYWORDS.has( name ) ) {
			return;
		}
		calls.push( { name, args: node.arguments.map( jsLiteral ), line: node.loc.start.line, offset: node.start } );
	} );
	return { calls, comments };
}

function parsePhp( source, file ) {
	const engine = new PhpEngine( { parser: { extractDoc: true, php8: true, suppressErrors: false }, ast: { withPositions: true } } );
	const ast = engine.parseCode( source, file );
	const comments = ( ast.comments || [] ).map( ( c ) => ( { text: c.value, endLine: c.loc.end.line, endOffset: c.loc.end.offset } ) );
	const calls = [];
	walkAst( ast.children, ( node ) => {
		if ( node.kind !== 'call' || ! node.what || node.what.kind !== 'name' ) {
			return;
		}
		const name = node.what.name.replace( /^\\/, '' );
		if ( ! Object.hasOwn( KEYWORDS, name ) ) {
			return;
		}
		calls.push( { name, args: node.arguments.map( phpLiteral ), line: node.loc.start.line, offset: node.loc.start.offset } );
	} );
	return { calls, comments };
}

/**
 * Every translatable string of the text domain in one source file.
 * Calls of another domain are ignored; a call of our domain whose text is not a literal, or a
 * translation call with no literal domain at all, is reported in `problems` (WordPress's tools cannot
 * extract those either).
 *
 * @return {{ found: Array<{msgid: string, msgid_plural?: string, msgctxt?: string, comment?: string, reference: string}>, problems: string[] }}
 */
export function extractFromSource( source, file, php ) {
	const { calls, comments } = php ? parsePhp( source, file ) : parseJs( source, file );
	const notes = translatorComments( comments, calls );
	const found = [];
	const problems = [];
	for ( const call of calls ) {
		const spec = KEYWORDS[ call.name ];
		const reference = `${ file }:${ call.line }`;
		const domain = call.args[ spec.domain ];
		if ( domain === undefined ) {
			problems.push( `${ reference }: ${ call.name }() without a literal text domain` );
			continue;
		}
		if ( domain !== DOMAIN ) {
			continue;
		}
		const item = { msgid: call.args[ spec.msgid ], reference };
		for ( const field of [ 'msgid_plural', 'msgctxt' ] ) {
			if ( spec[ field ] !== undefined ) {
				item[ field ] = call.args[ spec[ field ] ];
			}
		}
		if ( typeof item.msgid !== 'string' || item.msgid === '' || ( 'msgid_plural' in spec && typeof item.msgid_plural !== 'string' ) || ( 'msgctxt' in spec && typeof item.msgctxt !== 'string' ) ) {
			problems.push( `${ reference }: ${ call.name }() whose text is not a string literal` );
			continue;
		}
		const comment = notes.get( call );
		if ( comment ) {
			item.comment = comment;
		}
		found.push( item );
	}
	return { found, problems };
}

/** The plugin header fields WordPress translates with the plugin's text domain (Plugin Name, Description). */
export function pluginHeaderStrings( source, file ) {
	const found = [];
	const header = /^\s*\*?\s*(Plugin Name|Description):\s*(.+?)\s*$/gm;
	const head = source.slice( 0, 8192 );
	for ( const m of head.matchAll( header ) ) {
		const at = m.index + m[ 0 ].indexOf( m[ 1 ] );
		found.push( { msgid: m[ 2 ], comment: `${ m[ 1 ] } of the plugin`, reference: `${ file }:${ head.slice( 0, at ).split( '\n' ).length }` } );
	}
	return found;
}

function sources() {
	const testPath = join( 'src', 'test' ) + sep;
	const js = walk( JS_DIR, ( p ) => /\.(?:js|jsx|ts|tsx)$/.test( p ) && ! /\.test\.[jt]sx?$/.test( p ) && ! p.includes( testPath ) );
	const php = walk( PHP_DIR, ( p ) => p.endsWith( '.php' ) );
	return { js, php };
}

/**
 * Every string, merged by context + msgid, with all its references, translator comments and the
 * kinds of source it appears in ('js' strings go into the script JSON).
 * Throws when a file cannot be parsed or a translation call cannot be extracted, so that nothing
 * is silently left out.
 */
export function collect() {
	const { js, php } = sources();
	const entries = new Map();
	const problems = [];
	const add = ( item, kind ) => {
		const key = `${ item.msgctxt || '' }\u0004${ item.msgid }`;
		const entry = entries.get( key ) || { msgid: item.msgid, msgctxt: item.msgctxt, msgid_plural: item.msgid_plural, references: [], comments: [], kinds: new Set() };
		entry.references.push( item.reference );
		if ( item.comment && ! entry.comments.includes( item.comment ) ) {
			entry.comments.push( item.comment );
		}
		entry.kinds.add( kind );
		if ( item.msgid_plural ) {
			if ( entry.msgid_plural && entry.msgid_plural !== item.msgid_plural ) {
				problems.push( `${ item.reference }: "${ item.msgid }" has two different plurals ("${ entry.msgid_plural }", "${ item.msgid_plural }")` );
			}
			entry.msgid_plural = item.msgid_plural;
		}
		entries.set( key, entry );
	};
	const scan = ( file, php ) => {
		const rel = relative( REPO, file ).split( sep ).join( '/' );
		const source = readFileSync( file, 'utf8' );
		let result;
		try {
			result = extractFromSource( source, rel, php );
		} catch ( error ) {
			problems.push( `${ rel }: cannot parse (${ error.message })` );
			return;
		}
		result.found.forEach( ( item ) => add( item, php ? 'php' : 'js' ) );
		problems.push( ...result.problems );
		if ( php ) {
			pluginHeaderStrings( source, rel ).forEach( ( item ) => add( item, 'php' ) );
		}
	};
	js.forEach( ( file ) => scan( file, false ) );
	php.forEach( ( file ) => scan( file, true ) );
	if ( problems.length ) {
		throw new Error( `translation extraction failed:\n  ${ problems.join( '\n  ' ) }` );
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
			comments: {
				reference: entry.references.join( '\n' ),
				...( entry.comments.length ? { extracted: entry.comments.join( '\n' ) } : {} ),
				...( old && old.comments && old.comments.translator ? { translator: old.comments.translator } : {} ),
			},
		};
	}
	return translations;
}

function extract() {
	const entries = collect();
	const headers = {
		'Project-Id-Version': 'Rackbeat Connector',
		'MIME-Version': '1.0',
		'Content-Type': 'text/plain; charset=UTF-8',
		'Content-Transfer-Encoding': '8bit',
		'Plural-Forms': 'nplurals=INTEGER; plural=EXPRESSION;',
		'X-Domain': DOMAIN,
	};
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
			gettextParser.po.compile( {
				charset: 'utf-8',
				headers: { ...headers, ...old.headers, 'Content-Type': 'text/plain; charset=UTF-8', Language: locale, 'Plural-Forms': PLURAL_FORMS[ locale ] },
				translations,
			} )
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

/** The strings the sources hold right now, as JSON (for tests: is the .pot up to date?). */
function list() {
	const strings = [ ...collect().values() ].map( ( e ) => ( {
		msgid: e.msgid,
		...( e.msgctxt ? { msgctxt: e.msgctxt } : {} ),
		...( e.msgid_plural ? { msgid_plural: e.msgid_plural } : {} ),
		kinds: [ ...e.kinds ],
		references: e.references,
	} ) );
	process.stdout.write( JSON.stringify( { domain: DOMAIN, scriptRelative: SCRIPT_RELATIVE, scriptHash: createHash( 'md5' ).update( SCRIPT_RELATIVE ).digest( 'hex' ), strings } ) );
}

const command = process.argv[ 2 ];
if ( command === 'extract' ) {
	extract();
} else if ( command === 'build' ) {
	build();
} else if ( command === 'list' ) {
	list();
} else if ( command ) {
	console.error( 'usage: node scripts/languages.mjs extract|build|list' );
	process.exit( 2 );
}
