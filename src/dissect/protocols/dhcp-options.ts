// DHCP option numbers -> names and the way their values are decoded, as Wireshark 4.0 lists them
// (packet-dhcp.c default_dhcp_opt), plus value strings. Nothing here runs per packet.
import { vals } from "../fields.js";

/** How an option's value is read (Wireshark's enum field_type for "basic" options). */
export const enum OptKind {
  NONE,
  IPV4,
  IPV4_LIST,
  STRING,
  BYTES,
  BOOL,
  U8,
  U16,
  U16_LIST,
  U32,
  TIME_S,
  TIME_U,
  SPECIAL,
  OPAQUE,
}

export interface OptInfo {
  readonly name: string;
  readonly kind: OptKind;
  /** Key of the option's own value field in dhcp.ts's field table (basic options). */
  readonly field: string | null;
}

const K: Record<string, OptKind> = {
  none: OptKind.NONE, ipv4: OptKind.IPV4, ipv4_list: OptKind.IPV4_LIST, string: OptKind.STRING, bytes: OptKind.BYTES,
  bool: OptKind.BOOL, u8: OptKind.U8, u16: OptKind.U16, u16_list: OptKind.U16_LIST, u32: OptKind.U32,
  time_s: OptKind.TIME_S, time_u: OptKind.TIME_U, special: OptKind.SPECIAL, opaque: OptKind.OPAQUE,
};

const KNOWN: readonly (readonly [number, string, string, string])[] = [
  [0, "Padding", "none", "option_padding"],
  [1, "Subnet Mask", "ipv4", "option_subnet_mask"],
  [2, "Time Offset", "time_s", "option_time_offset"],
  [3, "Router", "ipv4_list", "option_router"],
  [4, "Time Server", "ipv4_list", "option_time_server"],
  [5, "Name Server", "ipv4_list", "option_name_server"],
  [6, "Domain Name Server", "ipv4_list", "option_domain_name_server"],
  [7, "Log Server", "ipv4_list", "option_log_server"],
  [8, "Quotes Server", "ipv4_list", "option_quotes_server"],
  [9, "LPR Server", "ipv4_list", "option_lpr_server"],
  [10, "Impress Server", "ipv4_list", "option_impress_server"],
  [11, "Resource Location Server", "ipv4_list", "option_resource_location_server"],
  [12, "Host Name", "string", "option_hostname"],
  [13, "Boot File Size", "u16", "option_boot_file_size"],
  [14, "Merit Dump File", "string", "option_merit_dump_file"],
  [15, "Domain Name", "string", "option_domain_name"],
  [16, "Swap Server", "ipv4", "option_swap_server"],
  [17, "Root Path", "string", "option_root_path"],
  [18, "Extensions Path", "string", "option_extension_path"],
  [19, "IP Forwarding", "bool", "option_ip_forwarding"],
  [20, "Non-Local Source Routing", "bool", "option_non_local_source_routing"],
  [21, "Policy Filter", "special", ""],
  [22, "Maximum Datagram Reassembly Size", "u16", "option_max_datagram_reassembly_size"],
  [23, "Default IP Time-to-Live", "u8", "option_default_ip_ttl"],
  [24, "Path MTU Aging Timeout", "time_u", "option_path_mtu_aging_timeout"],
  [25, "Path MTU Plateau Table", "u16_list", "option_path_mtu_plateau_table_item"],
  [26, "Interface MTU", "u16", "option_interface_mtu"],
  [27, "All Subnets are Local", "bool", "option_all_subnets_are_local"],
  [28, "Broadcast Address", "ipv4", "option_broadcast_address"],
  [29, "Perform Mask Discovery", "bool", "option_perform_mask_discovery"],
  [30, "Mask Supplier", "bool", "option_mask_supplier"],
  [31, "Perform Router Discover", "bool", "option_perform_router_discover"],
  [32, "Router Solicitation Address", "ipv4", "option_router_solicitation_address"],
  [33, "Static Route", "special", ""],
  [34, "Trailer Encapsulation", "bool", "option_trailer_encapsulation"],
  [35, "ARP Cache Timeout", "time_u", "option_arp_cache_timeout"],
  [36, "Ethernet Encapsulation", "bool", "option_ethernet_encapsulation"],
  [37, "TCP Default TTL", "u8", "option_tcp_default_ttl"],
  [38, "TCP Keepalive Interval", "time_u", "option_tcp_keepalive_interval"],
  [39, "TCP Keepalive Garbage", "bool", "option_tcp_keepalive_garbage"],
  [40, "Network Information Service Domain", "string", "option_nis_domain"],
  [41, "Network Information Service Servers", "ipv4_list", "option_nis_server"],
  [42, "Network Time Protocol Servers", "ipv4_list", "option_ntp_server"],
  [43, "Vendor-Specific Information", "special", ""],
  [44, "NetBIOS over TCP/IP Name Server", "ipv4_list", "option_netbios_over_tcpip_name_server"],
  [45, "NetBIOS over TCP/IP Datagram Distribution Name Server", "ipv4_list", "option_netbios_over_tcpip_dd_name_server"],
  [46, "NetBIOS over TCP/IP Node Type", "u8", "option_netbios_over_tcpip_node_type"],
  [47, "NetBIOS over TCP/IP Scope", "string", "option_netbios_over_tcpip_scope"],
  [48, "X Window System Font Server", "ipv4_list", "option_xwindows_system_font_server"],
  [49, "X Window System Display Manager", "ipv4_list", "option_xwindows_system_display_manager"],
  [50, "Requested IP Address", "ipv4", "option_requested_ip_address"],
  [51, "IP Address Lease Time", "time_u", "option_ip_address_lease_time"],
  [52, "Option Overload", "special", "option_option_overload"],
  [53, "DHCP Message Type", "u8", "option_dhcp"],
  [54, "DHCP Server Identifier", "ipv4", "option_dhcp_server_id"],
  [55, "Parameter Request List", "special", "option_request_list_item"],
  [56, "Message", "string", "option_message"],
  [57, "Maximum DHCP Message Size", "u16", "option_dhcp_max_message_size"],
  [58, "Renewal Time Value", "time_u", "option_renewal_time_value"],
  [59, "Rebinding Time Value", "time_u", "option_rebinding_time_value"],
  [60, "Vendor class identifier", "special", ""],
  [61, "Client identifier", "special", ""],
  [62, "Novell/Netware IP domain", "string", "option_novell_netware_ip_domain"],
  [63, "Novell Options", "special", ""],
  [64, "Network Information Service+ Domain", "string", "option_nis_plus_domain"],
  [65, "Network Information Service+ Servers", "ipv4_list", "option_nis_plus_server"],
  [66, "TFTP Server Name", "string", "option_tftp_server_name"],
  [67, "Bootfile name", "string", "option_bootfile_name"],
  [68, "Mobile IP Home Agent", "ipv4_list", "option_mobile_ip_home_agent"],
  [69, "SMTP Server", "ipv4_list", "option_smtp_server"],
  [70, "POP3 Server", "ipv4_list", "option_pop3_server"],
  [71, "NNTP Server", "ipv4_list", "option_nntp_server"],
  [72, "Default WWW Server", "ipv4_list", "option_default_www_server"],
  [73, "Default Finger Server", "ipv4_list", "option_default_finger_server"],
  [74, "Default IRC Server", "ipv4_list", "option_default_irc_server"],
  [75, "StreetTalk Server", "ipv4_list", "option_streettalk_server"],
  [76, "StreetTalk Directory Assistance Server", "ipv4_list", "option_streettalk_da_server"],
  [77, "User Class Information", "special", ""],
  [78, "Directory Agent Information", "special", ""],
  [79, "Service Location Agent Scope", "special", ""],
  [80, "Rapid commit", "opaque", ""],
  [81, "Client Fully Qualified Domain Name", "special", ""],
  [82, "Agent Information Option", "special", ""],
  [83, "iSNS", "opaque", ""],
  [84, "Removed/Unassigned", "opaque", ""],
  [85, "Novell Directory Services Servers", "special", ""],
  [86, "Novell Directory Services Tree Name", "string", "option_novell_ds_tree_name"],
  [87, "Novell Directory Services Context", "string", "option_novell_ds_context"],
  [88, "BCMCS Controller Domain Name [TODO:RFC4280]", "opaque", ""],
  [89, "BCMCS Controller IPv4 address [TODO:RFC4280]", "opaque", ""],
  [90, "Authentication", "special", ""],
  [91, "Client last transaction time", "time_u", "option_client_last_transaction_time"],
  [92, "Associated IP option", "ipv4_list", "option_associated_ip_option"],
  [93, "Client System Architecture", "special", ""],
  [94, "Client Network Device Interface", "special", ""],
  [95, "LDAP [TODO:RFC3679]", "opaque", ""],
  [96, "Removed/Unassigned", "opaque", ""],
  [97, "UUID/GUID-based Client Identifier", "special", ""],
  [98, "Open Group's User Authentication [TODO:RFC2485]", "opaque", ""],
  [99, "Civic Addresses Configuration", "special", ""],
  [100, "PCode", "string", "option_tz_pcode"],
  [101, "TCode", "string", "option_tz_tcode"],
  [102, "Removed/unassigned", "opaque", ""],
  [103, "Removed/unassigned", "opaque", ""],
  [104, "Removed/unassigned", "opaque", ""],
  [105, "Removed/unassigned", "opaque", ""],
  [106, "Removed/unassigned", "opaque", ""],
  [107, "Removed/unassigned", "opaque", ""],
  [108, "IPv6-Only Preferred", "opaque", ""],
  [109, "Unassigned", "opaque", ""],
  [110, "Removed/Unassigned", "opaque", ""],
  [111, "Unassigned", "opaque", ""],
  [112, "NetInfo Parent Server Address", "ipv4_list", "option_netinfo_parent_server_address"],
  [113, "NetInfo Parent Server Tag", "string", "option_netinfo_parent_server_tag"],
  [114, "DHCP Captive-Portal", "special", ""],
  [115, "Removed/Unassigned", "opaque", ""],
  [116, "DHCP Auto-Configuration", "u8", "option_dhcp_auto_configuration"],
  [117, "Name Service Search", "special", ""],
  [118, "Subnet Selection Option", "ipv4_list", "option_subnet_selection_option"],
  [119, "Domain Search", "special", ""],
  [120, "SIP Servers", "special", ""],
  [121, "Classless Static Route", "special", ""],
  [122, "CableLabs Client Configuration [TODO:RFC3495]", "opaque", ""],
  [123, "Coordinate-based Location Configuration", "special", ""],
  [124, "V-I Vendor Class", "special", ""],
  [125, "V-I Vendor-specific Information", "special", ""],
  [126, "Removed/Unassigned", "opaque", ""],
  [127, "Removed/Unassigned", "opaque", ""],
  [128, "DOCSIS full security server IP [TODO]", "opaque", ""],
  [129, "PXE - undefined (vendor specific)", "opaque", ""],
  [130, "PXE - undefined (vendor specific)", "opaque", ""],
  [131, "PXE - undefined (vendor specific)", "opaque", ""],
  [132, "PXE - undefined (vendor specific)", "opaque", ""],
  [133, "PXE - undefined (vendor specific)", "opaque", ""],
  [134, "PXE - undefined (vendor specific)", "opaque", ""],
  [135, "PXE - undefined (vendor specific)", "opaque", ""],
  [136, "PANA Authentication Agent", "ipv4_list", "option_pana_agent"],
  [137, "LoST Server Domain Name", "string", "option_lost_server_domain_name"],
  [138, "CAPWAP Access Controllers", "ipv4_list", "option_capwap_access_controller"],
  [139, "IPv4 Address-MoS", "opaque", ""],
  [140, "IPv4 FQDN-MoS", "opaque", ""],
  [141, "SIP UA Configuration Domains", "opaque", ""],
  [142, "IPv4 Address ANDSF", "ipv4_list", "option_andsf_server"],
  [143, "Zerotouch Redirect [TODO: draft-ietf-netconf-zerotouch]", "opaque", ""],
  [144, "Geospatial Location [TODO:RFC6225]", "opaque", ""],
  [145, "Forcerenew Nonce Capable", "special", ""],
  [146, "RDNSS Selection", "special", ""],
  [147, "Unassigned", "opaque", ""],
  [148, "Unassigned", "opaque", ""],
  [149, "Unassigned", "opaque", ""],
  [150, "TFTP Server Address", "ipv4_list", "option_tftp_server_address"],
  [151, "Leasequery Status code", "special", ""],
  [152, "Leasequery Base Time", "special", ""],
  [153, "Leasequery Start Time of State", "time_u", "option_bulk_lease_start_time_of_state"],
  [154, "Leasequery Query Start Time", "special", ""],
  [155, "Leasequery Query End Time", "special", ""],
  [156, "Leasequery Dhcp State", "u8", "option_bulk_lease_dhcp_state"],
  [157, "Leasequery Data Source", "bool", "option_bulk_lease_data_source"],
  [158, "PCP Server", "special", ""],
  [159, "Portparams", "special", ""],
  [160, "Unassigned (ex DHCP Captive-Portal)", "special", ""],
  [161, "Manufacturer Usage Description", "string", "option_mudurl"],
  [175, "Etherboot", "opaque", ""],
  [176, "IP Telephone", "opaque", ""],
  [177, "Etherboot", "opaque", ""],
  [208, "PXELINUX Magic", "opaque", ""],
  [209, "PXE Configuration file", "string", "option_pxe_config_file"],
  [210, "PXE Path Prefix", "string", "option_pxe_path_prefix"],
  [211, "Reboot Time", "opaque", ""],
  [212, "6RD", "opaque", ""],
  [213, "V4 Access Domain", "opaque", ""],
  [220, "Subnet Allocation", "opaque", ""],
  [221, "Virtual Subnet Selection", "opaque", ""],
  [242, "Private/Avaya IP Telephone", "special", ""],
  [249, "Private/Classless Static Route (Microsoft)", "special", ""],
  [252, "Private/Proxy autodiscovery", "string", "option_private_proxy_autodiscovery"],
  [255, "End", "opaque", ""],
];

/** Option table indexed by code (0..255); unlisted codes are "Unassigned" or "Private". */
export const OPTIONS: readonly OptInfo[] = (() => {
  const table: OptInfo[] = [];
  for (let c = 0; c < 256; c++) table.push({ name: c >= 224 ? "Private" : "Unassigned", kind: OptKind.OPAQUE, field: null });
  for (const [code, name, kind, field] of KNOWN) table[code] = { name, kind: K[kind]!, field: field || null };
  return table;
})();

/** Options Wireshark decodes with its generic "basic type" handler (DHCP_OPTION_BASICTYPE_RANGE). */
export const BASIC_OPTIONS: ReadonlySet<number> = (() => {
  const s = new Set<number>();
  const ranges = "1-20,22-32,34-42,44-51,53-54,56-59,64-76,86-87,91-92,100-101,112-113,116,118,136-138,142,150,153,156-157,161,209-210,252";
  for (const part of ranges.split(",")) {
    const [a, b] = part.split("-").map(Number);
    for (let c = a!; c <= (b ?? a!); c++) s.add(c);
  }
  return s;
})();

/** dhcp.hw.type */
export const ARP_HRD = vals({
  0: "NET/ROM pseudo", 1: "Ethernet", 2: "Experimental Ethernet", 3: "AX.25", 4: "ProNET", 5: "Chaos", 6: "IEEE 802",
  7: "ARCNET", 8: "Hyperchannel", 9: "Lanstar", 10: "Autonet Short Address", 11: "Localtalk", 12: "LocalNet",
  13: "Ultra link", 14: "SMDS", 15: "Frame Relay DLCI", 16: "ATM", 17: "HDLC", 18: "Fibre Channel",
  19: "ATM (RFC 2225)", 20: "Serial Line", 21: "ATM", 22: "MIL-STD-188-220", 23: "Metricom STRIP",
  24: "IEEE 1394.1995", 25: "MAPOS", 26: "Twinaxial", 27: "EUI-64", 28: "HIPARP", 29: "IP and ARP over ISO 7816-3",
  30: "ARPSec", 31: "IPsec tunnel", 32: "InfiniBand", 33: "TIA-102 Project 25 CAI", 34: "Wiegand Interface",
  35: "Pure IP", 36: "Experimental 1", 37: "HFI", 256: "Experimental 2", 257: "AEthernet", 260: "Notional KISS type",
  264: "ADAPT", 270: "ROSE", 271: "CCITT X.25", 272: "Boards with X.25 in firmware", 280: "Controller Area Network",
  512: "PPP", 513: "Cisco HDLC", 516: "LAPB", 517: "Digital's DDCMP protocol", 518: "Raw HDLC", 519: "Raw IP",
  768: "IPIP tunnel", 769: "IP6IP6 tunnel", 770: "Frame Relay Access Device", 771: "SKIP vif", 772: "Loopback",
  774: "Fiber Distributed Data Interface", 775: "AP1000 BIF", 776: "sit0 device - IPv6-in-IPv4",
  777: "IP over DDP tunneller", 778: "GRE over IP", 779: "PIMSM register interface",
  780: "High Performance Parallel Interface", 781: "Nexus 64Mbps Ash", 782: "Acorn Econet", 783: "Linux-IrDA",
  784: "Point to point fibrechannel", 785: "Fibrechannel arbitrated loop", 786: "Fibrechannel public loop",
  787: "Fibrechannel fabric", 800: "Magic type ident for TR", 801: "IEEE 802.11", 802: "IEEE 802.11 + Prism2 header",
  803: "IEEE 802.11 + radiotap header", 804: "IEEE 802.15.4", 805: "IEEE 802.15.4 network monitor",
  820: "PhoNet media type", 821: "PhoNet pipe header", 822: "CAIF media type", 823: "GRE over IPv6", 824: "Netlink",
  825: "IPv6 over LoWPAN", 826: "Vsock monitor header", 65535: "Void type, nothing is known",
  65534: "zero header length",
});
/** dhcp.option.dhcp */
export const MSG_TYPES = vals({
  1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NAK", 7: "Release", 8: "Inform",
  9: "Force Renew", 10: "Lease query", 11: "Lease Unassigned", 12: "Lease Unknown", 13: "Lease Active",
  14: "Bulk Lease Query", 15: "Lease Query Done", 16: "Active LeaseQuery", 17: "Lease Query Status", 18: "TLS",
});
/** dhcp.type */
export const OPS = vals({
  1: "Boot Request", 2: "Boot Reply",
});
/** dhcp.option.option_overload */
export const OVERLOAD = vals({
  1: "Boot file name holds options", 2: "Server host name holds options",
  3: "Boot file and server host names hold options",
});
/** dhcp.option.netbios_over_tcpip_node_type */
export const NBNS_NODE_TYPES = vals({
  1: "B-node", 2: "P-node", 4: "M-node", 8: "H-node",
});
/** dhcp.option.client_system_architecture */
export const CLIENT_ARCH = vals({
  0: "IA x86 PC", 1: "NEC/PC98", 2: "IA64 PC", 3: "DEC Alpha", 4: "ArcX86", 5: "Intel Lean Client", 6: "EFI IA32",
  7: "EFI x64", 8: "EFI Xscale", 9: "EFI BC", 10: "ARM 32-bit UEFI", 11: "ARM 64-bit UEFI",
  12: "PowerPC Open Firmware", 13: "PowerPC ePAPR", 14: "POWER OPAL v3", 15: "x86 UEFI HTTP", 16: "x64 UEFI HTTP",
  17: "EBC UEFI HTTP", 18: "ARM 32-bit UEFI HTTP", 19: "ARM 64-bit UEFI HTTP", 20: "PC/AT HTTP",
  21: "ARM 32-bit uboot", 22: "ARM 64-bit uboot", 23: "ARM 32-bit uboot HTTP", 24: "ARM 64-bit uboot HTTP",
  25: "RISC-V 32-bit UEFI", 26: "RISC-V 32-bit UEFI HTTP", 27: "RISC-V 64-bit UEFI", 28: "RISC-V 64-bit UEFI HTTP",
  29: "RISC-V 128-bit UEFI", 30: "RISC-V 128-bit UEFI HTTP", 31: "s390 Basic", 32: "s390 Extended",
});
/** dhcp.option.agent_information_option.suboption */
export const AGENT_SUBOPTS = vals({
  0: "Padding", 1: "Agent Circuit ID", 2: "Agent Remote ID", 3: "Reserved", 4: "DOCSIS Device Class",
  5: "Link selection", 6: "Subscriber ID", 7: "RADIUS Attributes", 8: "Authentication",
  9: "Vendor-Specific Information", 10: "Flags", 11: "Server ID Override", 12: "Relay Agent Identifier",
  13: "Access Technology Type", 14: "Access Network Name", 15: "Access Point Name", 16: "Access Point BSSID",
  17: "Access Network Operator ID", 18: "Access Network Operator Realm", 19: "Source Port",
  150: "Link selection (Cisco proprietary)", 151: "VRF name/VPN ID", 152: "Server ID Override (Cisco proprietary)",
});
/** dhcp.option.slp_directory_agent.value */
export const SLPDA = vals({
  0: "Dynamic Discovery", 1: "Static Discovery", 128: "Backwards compatibility",
});
/** dhcp.option.slp_service_scope.value */
export const SLP_SCOPE = vals({
  0: "Preferred Scope", 1: "Mandatory Scope",
});
/** dhcp.client_id.duid_type */
export const DUID_TYPES = vals({
  1: "link-layer address plus time", 2: "assigned by vendor based on Enterprise number", 3: "link-layer address",
});
/** dhcp.option.civic_location.what */
export const CIVIC_WHAT = vals({
  0: "Location of the DHCP server", 1: "Location of the network element believed to be closest to the client",
  2: "Location of the client",
});
/** dhcp.option.civic_location.ca_type */
export const CIVIC_CA_TYPES = vals({
  0: "Language", 1: "A1", 2: "A2", 3: "A3", 4: "A4", 5: "A5", 6: "A6", 16: "PRD (Leading street direction)",
  17: "POD (Trailing street suffix)", 18: "STS (Street suffix)", 19: "HNO (House number)",
  20: "HNS (House number suffix)", 21: "LMK (Landmark or vanity address)",
  22: "LOC (Additional location information)", 23: "NAM", 24: "PC (Postal/ZIP code)", 25: "BLD (Building)",
  26: "UNIT", 27: "FLR (Floor)", 28: "ROOM", 29: "PLC (Place-type)", 30: "PCN (Postal community name)", 31: "POBOX",
  32: "ADDCODE (Additional Code)", 33: "SEAT", 34: "RD (Primary road or street)", 35: "RDSEC (Road section)",
  36: "RDBR (Road branch)", 37: "RDSUBBR (Road sub-branch)", 38: "PRM (Road pre-modifier)",
  39: "POM (Road post-modifier", 128: "Script",
});
/** dhcp.option.sip_server.encoding */
export const SIP_ENC = vals({
  0: "Fully Qualified Domain Name", 1: "IPv4 Address",
});
/** dhcp.option.dhcp_authentication.protocol */
export const AUTH_PROTOCOLS = vals({
  0: "configuration token", 1: "delayed authentication",
});
/** dhcp.option.dhcp_authentication.rdm */
export const AUTH_RDM = vals({
  0: "Monotonically-increasing counter",
});
/** dhcp.option.bulk_lease.dhcp_state */
export const BULK_STATES = vals({
  1: "Available", 2: "Active", 3: "Expired", 4: "Released", 5: "Abandoned", 6: "Reset", 7: "Remote",
  8: "Transitioning",
});
/** dhcp.option.dhcp_auto_configuration */
export const AUTOCONF = vals({
  0: "DoNotAutoConfigure", 1: "AutoConfigure",
});
/** dhcp.option.rdnss.preference */
export const RDNSS_PREF = vals({
  0: "Medium", 1: "High", 2: "Reserved", 3: "Low",
});
/** dhcp.option.vi_class.cl_address_mode */
export const CL_ADDRESS_MODE = vals({
  1: "IPv4", 2: "IPv6",
});


export const TFS_BROADCAST = ["Broadcast", "Unicast"] as const;
