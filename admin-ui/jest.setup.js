require( '@testing-library/jest-dom' );
jest.setTimeout( 30000 );
