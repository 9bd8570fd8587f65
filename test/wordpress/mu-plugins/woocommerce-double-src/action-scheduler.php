<?php
/**
 * WooCommerce DOUBLE (tests only): the few Action Scheduler functions the plugin calls, storing
 * actions in the option rbc_double_as_actions. Loaded only when rbc_double_action_scheduler = yes.
 */

defined( 'ABSPATH' ) || exit;

function rbc_double_as_all() {
	$actions = get_option( 'rbc_double_as_actions', array() );
	return is_array( $actions ) ? $actions : array();
}

function as_has_scheduled_action( $hook, $args = null, $group = '' ) {
	foreach ( rbc_double_as_all() as $action ) {
		if ( $action['hook'] === $hook && ( '' === $group || $action['group'] === $group ) && ( null === $args || $action['args'] === $args ) ) {
			return true;
		}
	}
	return false;
}

function as_schedule_recurring_action( $timestamp, $interval, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	if ( $unique && as_has_scheduled_action( $hook, null, $group ) ) {
		return 0;
	}
	$actions   = rbc_double_as_all();
	$actions[] = compact( 'timestamp', 'interval', 'hook', 'args', 'group' );
	update_option( 'rbc_double_as_actions', $actions, false );
	return count( $actions );
}

function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
	$left = array();
	foreach ( rbc_double_as_all() as $action ) {
		if ( ! ( $action['hook'] === $hook && ( '' === $group || $action['group'] === $group ) ) ) {
			$left[] = $action;
		}
	}
	update_option( 'rbc_double_as_actions', $left, false );
}
