// The @wordpress/scripts unit-test preset, plus jest-dom matchers; tests live in src/test/.
const preset = require( '@wordpress/scripts/config/jest-unit.config.js' );

module.exports = {
	...preset,
	roots: [ '<rootDir>/src' ],
	setupFilesAfterEnv: [ ...( preset.setupFilesAfterEnv || [] ), '<rootDir>/jest.setup.js' ],
};
