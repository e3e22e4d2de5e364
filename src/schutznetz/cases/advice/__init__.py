"""The advice of the insoweit erfahrene Fachkraft (§ 8a Abs. 4 S. 1 Nr. 2, § 8b Abs. 1 SGB VIII;
§ 4 Abs. 2 KKG): recorded by the specialist, who takes part pseudonymised, and read by those who
asked it."""
